// `npm start`: the service on its embedded defaults (see serve.ts); the same
// as `dourada serve`. Exits once drained, whatever handles remain.
import { serve } from "./serve.js";

process.exit(await serve((text) => process.stdout.write(text)));
