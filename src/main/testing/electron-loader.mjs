// A module hook for tests: `electron` resolves to the stand-in beside this file.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: new URL('./electron-stand-in.mjs', import.meta.url).href, shortCircuit: true };
  return nextResolve(specifier, context);
}
