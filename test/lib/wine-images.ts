// Wine's system DLLs (fixtures/wine-images): the module images that name and unwind the
// frames of the Wine-made dumps in fixtures/dumps. A case adds the program's own .exe to them.
export const WINE_IMAGES = ['wine-images/ntdll.dll', 'wine-images/kernelbase.dll', 'wine-images/kernel32.dll'] as const;
