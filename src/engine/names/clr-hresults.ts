// The HRESULTs the .NET runtime stores as the first parameter of its exception (0xE0434352),
// with the managed exception type each is the default for (the HResult property of the base
// classes, from the runtime's corerror.h and the classes' constructors). A derived exception
// may keep its base's HRESULT, so the type named is the most likely one, not a certainty.

const TYPES: ReadonlyMap<number, string> = new Map([
  [0x80131500, 'System.Exception (COR_E_EXCEPTION)'],
  [0x80131501, 'System.SystemException (COR_E_SYSTEM)'],
  [0x80004003, 'System.NullReferenceException (E_POINTER)'],
  [0x80070057, 'System.ArgumentException (E_INVALIDARG)'],
  [0x80004002, 'System.InvalidCastException (E_NOINTERFACE)'],
  [0x8007000e, 'System.OutOfMemoryException (E_OUTOFMEMORY)'],
  [0x80131508, 'System.IndexOutOfRangeException (COR_E_INDEXOUTOFRANGE)'],
  [0x80131509, 'System.InvalidOperationException (COR_E_INVALIDOPERATION)'],
  [0x80131515, 'System.NotSupportedException (COR_E_NOTSUPPORTED)'],
  [0x80131537, 'System.FormatException (COR_E_FORMAT)'],
  [0x80131577, 'System.Collections.Generic.KeyNotFoundException (COR_E_KEYNOTFOUND)'],
  [0x80131620, 'System.IO.IOException (COR_E_IO)'],
  [0x80070002, 'System.IO.FileNotFoundException (COR_E_FILENOTFOUND)'],
  [0x80004001, 'System.NotImplementedException (E_NOTIMPL)'],
  [0x80131604, 'System.Reflection.TargetInvocationException (COR_E_TARGETINVOCATION)'],
  [0x8013153b, 'System.OperationCanceledException (COR_E_OPERATIONCANCELED)'],
  [0x80131530, 'System.Threading.ThreadAbortException (COR_E_THREADABORTED)'],
  [0x800703e9, 'System.StackOverflowException (COR_E_STACKOVERFLOW)'],
]);

/** "System.NullReferenceException (E_POINTER)" for 0x80004003, or null. */
export function clrExceptionType(hresult: number): string | null {
  return TYPES.get(hresult >>> 0) ?? null;
}
