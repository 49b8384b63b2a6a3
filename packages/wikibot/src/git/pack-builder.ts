import { createHash } from 'node:crypto';
import { closeSync, fchmodSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { SpareFile, SpareFiles } from './spare-files.js';

export type ObjectType = 'blob' | 'tree' | 'commit';

/** zlib's fastest level: a commit's objects are compressed on the request path; repack may do better. */
const COMPRESSION = { level: 1 };
const TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3 };

interface PackedObject {
  id: Buffer;
  /** The object's entry in the pack: type and size header, then the zlib-compressed content. */
  entry: Buffer;
}

/**
 * Collects the objects of one chain of commits and writes them into the repository as one pack
 * (`objects/pack/pack-<checksum>.pack` and its version 2 `.idx`), the format `git index-pack` makes:
 * two files per chain instead of a file per object. The pack is renamed into place before its index,
 * and git sees a pack once its index exists, so readers find all of it or none. Ids are the hash of
 * `<type> <size>\0` and the content, as git computes them.
 */
export class PackBuilder {
  private readonly objects = new Map<string, PackedObject>();
  private readonly algorithm: 'sha1' | 'sha256';

  constructor(idLength: number) {
    this.algorithm = idLength === 64 ? 'sha256' : 'sha1';
  }

  get size(): number {
    return this.objects.size;
  }

  /** Adds an object (once per id); returns its id. */
  add(type: ObjectType, content: Buffer): string {
    const id = createHash(this.algorithm)
      .update(`${type} ${content.length}\0`, 'latin1')
      .update(content)
      .digest('hex');
    if (!this.objects.has(id)) {
      const entry = Buffer.concat([
        entryHeader(TYPE_CODES[type], content.length),
        deflateSync(content, COMPRESSION),
      ]);
      this.objects.set(id, { id: Buffer.from(id, 'hex'), entry });
    }
    return id;
  }

  /** Writes the pack and its index into `gitDir` through two of `files`; nothing when empty. */
  write(gitDir: string, files: SpareFiles): void {
    if (this.objects.size === 0) return;
    const objects = [...this.objects.values()];
    const header = Buffer.alloc(12);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(objects.length, 8);
    const offsets = new Map<PackedObject, number>();
    let offset = header.length;
    for (const object of objects) {
      offsets.set(object, offset);
      offset += object.entry.length;
    }
    const body = Buffer.concat([header, ...objects.map((o) => o.entry)]);
    const checksum = createHash(this.algorithm).update(body).digest();
    const index = this.index(objects, offsets, checksum);
    const name = join(gitDir, 'objects', 'pack', `pack-${checksum.toString('hex')}`);
    const pack = files.take();
    let packIndex: SpareFile | undefined;
    try {
      fill(pack, [body, checksum]);
      packIndex = files.take();
      fill(packIndex, [index]);
      renameSync(pack.path, `${name}.pack`);
      renameSync(packIndex.path, `${name}.idx`);
    } finally {
      rmSync(pack.path, { force: true });
      if (packIndex) rmSync(packIndex.path, { force: true });
    }
  }

  /** The version 2 index: fan-out table, sorted ids, CRC-32s, offsets, pack checksum, own checksum. */
  private index(objects: PackedObject[], offsets: Map<PackedObject, number>, packChecksum: Buffer): Buffer {
    const sorted = [...objects].sort((a, b) => Buffer.compare(a.id, b.id));
    const head = Buffer.alloc(8 + 256 * 4);
    head.writeUInt32BE(0xff744f63, 0);
    head.writeUInt32BE(2, 4);
    for (const object of sorted) {
      for (let byte = object.id[0]!; byte < 256; byte++) {
        head.writeUInt32BE(head.readUInt32BE(8 + byte * 4) + 1, 8 + byte * 4);
      }
    }
    const crcs = Buffer.alloc(sorted.length * 4);
    const positions = Buffer.alloc(sorted.length * 4);
    sorted.forEach((object, i) => {
      crcs.writeUInt32BE(crc32(object.entry), i * 4);
      positions.writeUInt32BE(offsets.get(object)!, i * 4);
    });
    const content = Buffer.concat([head, ...sorted.map((o) => o.id), crcs, positions, packChecksum]);
    return Buffer.concat([content, createHash(this.algorithm).update(content).digest()]);
  }
}

/** Writes `chunks` into the spare file, makes it read-only as git's packs are, and closes it. */
function fill(file: SpareFile, chunks: Buffer[]): void {
  try {
    for (const chunk of chunks) {
      for (let done = 0; done < chunk.length; ) done += writeSync(file.fd, chunk, done);
    }
    fchmodSync(file.fd, 0o444);
  } finally {
    closeSync(file.fd);
  }
}

/** Type and size of a pack entry: 3 type bits and 4 size bits, then 7 size bits per byte. */
function entryHeader(type: number, size: number): Buffer {
  const bytes = [(type << 4) | (size & 0x0f)];
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes[bytes.length - 1]! |= 0x80;
    bytes.push(rest & 0x7f);
    rest = Math.floor(rest / 128);
  }
  return Buffer.from(bytes);
}
