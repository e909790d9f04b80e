// Loaded by the `web-worker` package (imported by ffjavascript) when it finds
// itself in a worker thread: it assumes the thread is its own and requires
// workerData.mod. Pointing that at this empty module keeps it quiet.
export {};
