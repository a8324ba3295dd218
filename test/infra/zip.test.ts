import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zip } from '../../infra/zip.js';

/** Reads a zip archive through its central directory, checking each entry's local header and CRC. */
function unzip(archive: Buffer): Map<string, { data: Buffer; mode: number }> {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, { data: Buffer; mode: number }>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const crc = archive.readUInt32LE(at + 16);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const mode = archive.readUInt32LE(at + 38) >>> 16;
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    expect(archive.readUInt32LE(local)).toBe(0x04034b50);
    expect(archive.readUInt16LE(local + 8)).toBe(8);
    const compressedSize = archive.readUInt32LE(local + 18);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = inflateRawSync(archive.subarray(start, start + compressedSize));
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    files.set(name, { data, mode });
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return files;
}

describe('zip', () => {
  const entries = [
    { name: 'index.mjs', data: Buffer.from('export const handler = async () => "경보";\n'.repeat(200)) },
    { name: 'index.mjs.map', data: Buffer.from('{"version":3}') },
  ];

  it('round-trips every file, deflated, as regular 0644 files at the archive root', () => {
    const archive = zip(entries);
    const files = unzip(archive);
    expect([...files.keys()]).toEqual(['index.mjs', 'index.mjs.map']);
    for (const entry of entries) {
      expect(files.get(entry.name)?.data.equals(entry.data)).toBe(true);
      expect(files.get(entry.name)?.mode).toBe(0o100644);
    }
    expect(archive.length).toBeLessThan(entries[0]?.data.length ?? 0);
  });

  it('gives the same bytes for the same files', () => {
    expect(zip(entries).equals(zip(entries))).toBe(true);
  });
});
