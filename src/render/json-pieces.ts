// A report as JSON text, in pieces: the same text as JSON.stringify(value, null, indent) gives,
// produced a value at a time, so the page can write a 24 Mi-character report to a file in
// short slices instead of one task of seconds (JSON.stringify cannot pause).

function isContainer(v: unknown): v is object {
  return v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** Pieces of the JSON text of `value`; joined, they are JSON.stringify(value, null, indent). */
export function* jsonPieces(value: unknown, indent = 2, depth = 0): Generator<string> {
  if (!isContainer(value)) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  const pad = ' '.repeat(indent * (depth + 1));
  const close = ' '.repeat(indent * depth);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '' : ','}\n${pad}`;
      const v = value[i];
      yield* jsonPieces(v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v, indent, depth + 1);
    }
    yield `\n${close}]`;
    return;
  }
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `${first ? '{' : ','}\n${pad}${JSON.stringify(k)}: `;
    first = false;
    yield* jsonPieces(v, indent, depth + 1);
  }
  yield first ? '{}' : `\n${close}}`;
}
