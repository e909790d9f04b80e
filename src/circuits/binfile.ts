// The iden3 binary container of .r1cs, .ptau and .zkey files: a 4-byte magic,
// a u32 version, a u32 section count, then (u32 type, u64 size, bytes) per
// section. Positioned reads, so only the sections asked for are read: a
// multi-GiB ptau costs a few syscalls to find its header.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

function readExactly(fd: number, length: number, position: number, file: string): Buffer {
  const bytes = Buffer.alloc(length);
  if (readSync(fd, bytes, 0, length, position) !== length) throw new Error(`${file}: truncated`);
  return bytes;
}

/** The bytes of the wanted sections (each must occur exactly once), by section type. */
export function readBinSections(file: string, magic: string, wanted: number[]): Map<number, Buffer> {
  const fd = openSync(file, "r");
  try {
    const fileSize = fstatSync(fd).size;
    const head = readExactly(fd, 12, 0, file);
    if (head.toString("latin1", 0, 4) !== magic) throw new Error(`${file}: not a .${magic} file`);
    const found = new Map<number, Buffer>();
    let position = 12;
    for (let i = head.readUInt32LE(8); i > 0; i--) {
      const entry = readExactly(fd, 12, position, file);
      const type = entry.readUInt32LE(0);
      const size = Number(entry.readBigUInt64LE(4));
      position += 12;
      if (position + size > fileSize) throw new Error(`${file}: truncated`);
      if (wanted.includes(type)) {
        if (found.has(type)) throw new Error(`${file}: section ${type} occurs twice`);
        found.set(type, readExactly(fd, size, position, file));
      }
      position += size;
    }
    for (const type of wanted) if (!found.has(type)) throw new Error(`${file}: section ${type} missing`);
    return found;
  } finally {
    closeSync(fd);
  }
}
