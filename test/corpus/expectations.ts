// What we accept where our stack walk differs from LLDB's or Breakpad's on the corpus, dump by
// dump: the faulting thread's frame count, and for each peer [frames agreeing from frame 0,
// frames the peer printed]; `inBreakpad` / `inLldb` say whether every frame of ours appears
// in the peer's list in the same order (the peer found the same frames plus others). Any
// change — better or worse — fails the agreement test until this table and AGREEMENT.md say
// why. Every row that is not full agreement names its reason.

export interface FrameAgreement {
  frames: number;
  lldb: [agree: number, theirs: number];
  breakpad: [agree: number, theirs: number];
  inBreakpad: boolean;
  inLldb: boolean;
  why?: string;
}

/** Why a difference is accepted. Each sentence says who is right and how we know. */
export const R = {
  LINUX_FP_CHAIN:
    'All three agree on two frames by the RBP chain. Ours goes one link further to a return address in libc (__libc_start_main), which Breakpad finds later by scanning; LLDB stops after two. Breakpad reaches its frames 2-4 by scanning on module membership alone (no code in the dump to check a CALL): stale values between the same two frames.',
  LINUX_SCAN_VERIFIED:
    'All agree on two frames. After the RBP chain ends, we and Breakpad both scan. This dump captured the executable\'s code, so our scan only takes values preceded by a CALL; Breakpad takes any value inside a module (ld.so, libc), so the guessed tails differ. LLDB stops.',
  LLDB_PC_OUTSIDE_CODE:
    'The PC is outside any code (0, a non-executable or unmapped address). LLDB\'s frame 1 is a stack address (it reads the saved RBP as a return address), so it is wrong; its frame 2 is our and Breakpad\'s frame 1, found by the RBP chain. Our third frame is the next link (libc); Breakpad scans instead.',
  LINUX_OVERFLOW:
    'SIGABRT inside libc. We follow RBP one link to a libc return address (frame-pointer trust, unverified: no code in the dump); LLDB stops at frame 0; Breakpad scans into 24 guesses. Neither peer can confirm or refute our frame 1 without libc\'s unwind tables.',
  LINUX_INLINE:
    'We and LLDB agree on both frames: RBP holds a frame record whose saved RBP is not a stack address (the caller, libc, keeps no frame pointer), which ends the chain after one link. Breakpad does not take that record and scans into 50 guesses.',
  LINUX_NO_CHAIN:
    'RBP holds no frame record (stack smashed, or a leaf without a frame), so we and LLDB stop at frame 0; Breakpad scans on module membership alone.',
  BREAKPAD_SCANS_ON:
    'We and LLDB agree on every frame; Breakpad\'s extra frames past the end of the RBP chain come from scanning on module membership alone.',
  X64_SCAN:
    'Windows x64 without module code or .pdata in the dump: we scan, as Breakpad does, on module membership alone (frames marked as guesses), but only where the Windows x64 ABI lets a return address sit: every one of our frames is in Breakpad\'s list, in order; each of Breakpad\'s that we leave out lies in the 32-byte home area above one of our frames or at a slot 0 mod 16, where no CALL leaves a return address. LLDB stops at frame 0.',
  SIGSEGV:
    'LLDB stops at frame 0. We scan as Breakpad does, within the ABI\'s slots (see X64_SCAN): our callers sigsegv+0x1171, +0x105d, +0x1079, kernel32, ntdll are the chain the program\'s source (LLDB\'s sigsegv.cpp: crash ← foo ← main ← mainCRTStartup) implies, and all are Breakpad\'s; Breakpad also takes +0x3060 three times and +0x3001, in home areas. Both take +0x3010 at frame 0\'s RSP (most likely a data address; without the image\'s headers neither can tell) and a KERNELBASE value above RtlUserThreadStart.',
  LINUX_MINI:
    'We and LLDB agree on two frames (the second, in libc, by the RBP record at the fault). Our third frame follows the chain on; Breakpad scans from frame 1 and finds the same libc frame only as its frame 6.',
  LLDB_NO_MAC_CONTEXT:
    'LLDB 16 reads no registers from this macOS Crashpad dump (every thread\'s frame 0 is 0x0), so it is wrong. We and Breakpad agree on all seven RBP-chain frames; Breakpad\'s eighth repeats the seventh by scanning.',
  NULLPTR:
    'Without nullptr.exe we follow RBP as far as the dump kept the code bytes before the return addresses (Wine\'s dbghelp saves a few around each), three frames, then scan (see X64_SCAN): LLDB\'s fourth frame, the exe\'s mainCRTStartup, kernel32 and ntdll!RtlUserThreadStart, as the walk with nullptr.exe and Wine\'s DLLs finds them, then ntdll+0x68ca0, a stale value above the thread\'s first frame that Breakpad takes too. Breakpad\'s ntdll+0x5d9f6 lies in a home area: with the exe, unwind info puts kernel32 right after mainCRTStartup. With nullptr.exe (--images) we find LLDB\'s five by unwind info (checked separately).',
} as const;

export const FRAME_AGREEMENT: Record<string, FrameAgreement> = {
'breakpad/ascii_read_av.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/ascii_read_av_block_write.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/ascii_read_av_clobber_write.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/ascii_read_av_conditional.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/ascii_read_av_then_jmp.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/ascii_read_av_xchg_write.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/ascii_write_av.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/ascii_write_av_arg_to_call.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/exec_av_on_stack.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 4], inBreakpad: true, inLldb: true },
  'breakpad/linux_divide_by_zero.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_executable_heap.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_executable_stack.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_inline.dmp': { frames: 2, lldb: [2, 2], breakpad: [1, 51], inBreakpad: false, inLldb: true, why: R.LINUX_INLINE },
  'breakpad/linux_inside_module_exe_region1.dmp': { frames: 7, lldb: [2, 2], breakpad: [2, 11], inBreakpad: false, inLldb: false, why: R.LINUX_SCAN_VERIFIED },
  'breakpad/linux_inside_module_exe_region2.dmp': { frames: 8, lldb: [2, 2], breakpad: [2, 11], inBreakpad: false, inLldb: false, why: R.LINUX_SCAN_VERIFIED },
  'breakpad/linux_jmp_to_0.dmp': { frames: 3, lldb: [1, 3], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LLDB_PC_OUTSIDE_CODE },
  'breakpad/linux_jmp_to_module_not_exe_region.dmp': { frames: 3, lldb: [1, 3], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LLDB_PC_OUTSIDE_CODE },
  'breakpad/linux_null_dereference.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_null_read_av.dmp': { frames: 1, lldb: [1, 1], breakpad: [1, 12], inBreakpad: true, inLldb: true, why: R.LINUX_NO_CHAIN },
  'breakpad/linux_outside_module.dmp': { frames: 3, lldb: [1, 3], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LLDB_PC_OUTSIDE_CODE },
  'breakpad/linux_overflow.dmp': { frames: 2, lldb: [1, 1], breakpad: [1, 25], inBreakpad: false, inLldb: false, why: R.LINUX_OVERFLOW },
  'breakpad/linux_raise_sigabrt.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_stack_pointer_in_module.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_stack_pointer_in_stack.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_stack_pointer_in_stack_alt_name.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_stacksmash.dmp': { frames: 1, lldb: [1, 1], breakpad: [1, 5], inBreakpad: true, inLldb: true, why: R.LINUX_NO_CHAIN },
  'breakpad/linux_write_to_nonwritable_module.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_write_to_nonwritable_region_math.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_write_to_outside_module.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_write_to_outside_module_via_math.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/linux_write_to_under_4k.dmp': { frames: 3, lldb: [2, 2], breakpad: [2, 11], inBreakpad: true, inLldb: false, why: R.LINUX_FP_CHAIN },
  'breakpad/minidump2.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 4], inBreakpad: true, inLldb: true },
  'breakpad/minidump_32bit_crash_addr.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 4], inBreakpad: true, inLldb: true },
  'breakpad/minidump_crashpad_annotation.dmp': { frames: 27, lldb: [27, 27], breakpad: [27, 29], inBreakpad: true, inLldb: true, why: R.BREAKPAD_SCANS_ON },
  'breakpad/null_read_av.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/null_write_av.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'breakpad/read_av_clobber_write.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 4], inBreakpad: true, inLldb: true },
  'breakpad/read_av_conditional.dmp': { frames: 5, lldb: [5, 5], breakpad: [5, 5], inBreakpad: true, inLldb: true },
  'breakpad/read_av_non_null.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 4], inBreakpad: true, inLldb: true },
  'breakpad/stack_exhaustion.dmp': { frames: 246, lldb: [246, 246], breakpad: [246, 246], inBreakpad: true, inLldb: true },
  'breakpad/thread_name_list.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 4], inBreakpad: true, inLldb: true },
  'breakpad/tiny-exe-fastfail.dmp': { frames: 10, lldb: [1, 1], breakpad: [2, 22], inBreakpad: true, inLldb: false, why: R.X64_SCAN },
  'breakpad/tiny-exe-with-cet-xsave-x86.dmp': { frames: 1, lldb: [1, 1], breakpad: [1, 1], inBreakpad: true, inLldb: true },
  'breakpad/tiny-exe-with-cet-xsave.dmp': { frames: 11, lldb: [1, 1], breakpad: [3, 28], inBreakpad: true, inLldb: false, why: R.X64_SCAN },
  'breakpad/write_av_non_canonical.dmp': { frames: 7, lldb: [1, 1], breakpad: [2, 10], inBreakpad: true, inLldb: false, why: R.X64_SCAN },
  'breakpad/write_av_non_null.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 4], inBreakpad: true, inLldb: true },
  'lldb/fizzbuzz_no_heap.dmp': { frames: 6, lldb: [6, 6], breakpad: [6, 6], inBreakpad: true, inLldb: true },
  'lldb/linux-x86_64.dmp': { frames: 2, lldb: [2, 2], breakpad: [2, 4], inBreakpad: true, inLldb: true, why: R.BREAKPAD_SCANS_ON },
  'lldb/linux-x86_64_not_crashed.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 6], inBreakpad: true, inLldb: true, why: R.BREAKPAD_SCANS_ON },
  'lldb/regions-memlist64.dmp': { frames: 0, lldb: [0, 0], breakpad: [0, 0], inBreakpad: true, inLldb: true },
  'lldb/sigsegv.dmp': { frames: 8, lldb: [1, 1], breakpad: [2, 12], inBreakpad: true, inLldb: false, why: R.SIGSEGV },
  'rust-minidump/invalid-parameter.dmp': { frames: 2, lldb: [1, 1], breakpad: [2, 3], inBreakpad: true, inLldb: false, why: R.X64_SCAN },
  'rust-minidump/invalid-range.dmp': { frames: 0, lldb: [0, 0], breakpad: [0, 0], inBreakpad: true, inLldb: true },
  'rust-minidump/invalid-record-count.dmp': { frames: 0, lldb: [0, 0], breakpad: [0, 0], inBreakpad: true, inLldb: true },
  'rust-minidump/linux-mini.dmp': { frames: 3, lldb: [2, 2], breakpad: [1, 15], inBreakpad: true, inLldb: false, why: R.LINUX_MINI },
  'rust-minidump/pipeline-inlines-macos-segv.dmp': { frames: 7, lldb: [0, 1], breakpad: [7, 8], inBreakpad: true, inLldb: false, why: R.LLDB_NO_MAC_CONTEXT },
  'rust-minidump/simple-crashpad.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 5], inBreakpad: true, inLldb: true, why: R.BREAKPAD_SCANS_ON },
  'rust-minidump/test.dmp': { frames: 4, lldb: [4, 4], breakpad: [4, 4], inBreakpad: true, inLldb: true },
  'wine/nullptr.dmp': { frames: 8, lldb: [4, 4], breakpad: [5, 13], inBreakpad: true, inLldb: false, why: R.NULLPTR },
};
