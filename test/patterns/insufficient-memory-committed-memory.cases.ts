import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FIXTURES_DIR } from '../../src/catalog/load-node.ts';
import { fixtureBytes } from '../lib/analyze-input.ts';
import { defineCases } from '../lib/cases.ts';
import { WINE_IMAGES } from '../lib/wine-images.ts';
import { addMemoryInfoList, parseMemoryWalk } from '../synth/memory-info-augmenter.ts';

/**
 * insufficient-memory-committed-memory.dmp with the MemoryInfoList stream Windows' dbghelp would have written,
 * made from the process's own VirtualQuery walk of the same run (Wine writes no MemoryInfoList;
 * see fixtures/dumps/README.md).
 */
function memoryWalk() {
  return parseMemoryWalk(readFileSync(join(FIXTURES_DIR, 'dumps/insufficient-memory-committed-memory.meminfo.json'), 'utf8'));
}
function withMemoryMap(): Uint8Array {
  return addMemoryInfoList(fixtureBytes('dumps/insufficient-memory-committed-memory.dmp'), memoryWalk());
}

export default defineCases({
  fire: [
    {
      fixture: 'dumps/insufficient-memory-committed-memory.dmp',
      confidence: 'certain',
      why: 'real Wine dump: STATUS_NO_MEMORY from the heap after 2.3 GB were committed under an address-space limit',
      check: (finding) => {
        expect(finding.data['name']).toBe('STATUS_NO_MEMORY');
        expect(finding.data['commit']).toMatch(/no memory map/);
      },
    },
    {
      bytes: withMemoryMap,
      name: 'committed-memory-with-memory-map.dmp',
      confidence: 'certain',
      why: "the same dump with the MemoryInfoList built from the process's own VirtualQuery walk",
      check: (finding, report) => {
        // every region of the walk (its count changes from build to build of the dump)
        expect(report.memory?.map?.regions).toBe(memoryWalk().regions.length);
        expect(report.memory!.map!.committedBytes).toBeGreaterThan(2 * 1024 ** 3);
        expect(finding.data['commit']).toMatch(/^; the process had 2\.8\d GiB committed \(2\.\d\d GiB private, /);
        expect(finding.evidence).toContainEqual(expect.objectContaining({ kind: 'field', path: 'memory.map' }));
      },
    },
    {
      fixture: 'dumps/insufficient-memory-committed-memory.dmp',
      images: [...WINE_IMAGES, 'dumps/insufficient-memory-committed-memory.exe'],
      confidence: 'certain',
      why: "with Wine's ntdll beside it: the failed allocation is RtlAllocateHeap, called from the program",
      check: (finding) => expect(finding.data['during']).toMatch(/^ in ntdll!RtlAllocateHeap\+0x58a, called from insufficient_memory_committed_memory\+0x[0-9a-f]+$/),
    },
    {
      fixture: 'dumps/insufficient-memory-committed-memory-huge-request.dmp',
      confidence: 'certain',
      why: 'real Wine dump: an impossible request with HEAP_GENERATE_EXCEPTIONS',
    },
  ],
  silent: [
    { fixture: 'dumps/null-pointer-data-read.dmp', why: 'an access violation' },
    { fixture: 'dumps/dynamic-memory-corruption.dmp', why: 'a fault inside the heap is corruption, not a lack of memory' },
    { fixture: 'dumps/manual-dump.dmp', why: 'no exception' },
  ],
});
