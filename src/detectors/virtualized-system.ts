// Virtualized System: the operating system ran inside a virtual machine. That matters when the
// symptom is about time (timeouts, hangs, slow I/O: the host may have stopped the guest), about
// CPU counts and affinity, or about drivers (the guest's virtual devices and their tools). A
// dump carries it in a few places: what the reader learnt from the CPU (the "hypervisor" flag
// of a Linux dump's /proc/cpuinfo, a virtual CPU's name), what `!analyze -v` printed as
// VIRTUAL_MACHINE, and guest tools or virtual-device drivers in the module list.
import type { Evidence } from '../engine/report/schema.ts';
import { defineDetector } from '../engine/report/detector.ts';
import { moduleKey } from './lib/system-modules.ts';

/**
 * Modules that only a guest loads: the guest tools' processes and DLLs (which inject into
 * ordinary processes: Winsock providers, network providers, display drivers, hooks) and the
 * virtual-device drivers a kernel `lm` lists. Host-side names (VBoxRT, vmware-vmx) are left out:
 * a host runs them too.
 */
const GUEST_MODULES: ReadonlyArray<[RegExp, string]> = [
  [/^(?:vmtoolsd|vmtools|vsocklib|vmhgfs|vm3dum(?:64)?(?:_loader)?|vm3dgl(?:64)?|vm3dmp(?:_loader)?|vmci|vmmouse|vmusbmouse|vmmemctl|vmxnet\w*|vmx_svga|vmrawdsk|vmguestlib|vmwsci)$/, 'VMware'],
  [/^(?:vboxservice|vboxtray|vboxmrxnp|vboxhook|vboxdisp\w*|vboxguest|vboxsf|vboxmouse|vboxvideo\w*|vboxwddm|vboxogl\w*|vboxicd|vboxnine)$/, 'VirtualBox'],
  [/^(?:vmbus|storvsc|netvsc|hyperkbd|vmbushid|vmgencounter|vmbkmcl)$/, 'Hyper-V'],
  [/^prl_\w+$/, 'Parallels'],
  [/^(?:xenbus|xenvbd|xennet|xenfilt|xeniface|xenvif|xensvc)$/, 'Xen'],
  [/^(?:viostor|vioscsi|netkvm|vioser|viorng|vioinput|qemu-ga|qemuwmi)$/, 'KVM/QEMU'],
  [/^(?:vmsrvc|vmusrvc|vpc-s3|vpcmap)$/, 'Virtual PC'],
];

/** CPU names only a virtual CPU reports. */
const VIRTUAL_CPU = /QEMU Virtual CPU|Common KVM processor|KVM processor|Virtual CPU\b/i;

export default defineDetector({
  id: 'virtualized-system',
  messages: {
    virtualized: 'The system ran virtualized{{names}}: {{signs}}. Weigh timeouts, hangs and CPU counts against the host.',
  },
  detect(model) {
    const evidence: Evidence[] = [];
    const vendors = new Set<string>();
    let certain = false;

    if (model.system.virtualization) {
      evidence.push({ kind: 'field', path: 'system.virtualization', note: 'what the dump itself says about the machine' });
      certain = true;
    }
    const vm = model.annotations['VIRTUAL_MACHINE'];
    if (vm && !/^(?:none|no|unknown)$/i.test(vm.trim())) {
      evidence.push({ kind: 'field', path: 'annotations.VIRTUAL_MACHINE', note: '!analyze -v recognised the hypervisor' });
      vendors.add(vm.trim());
      certain = true;
    }
    if (model.system.cpu && VIRTUAL_CPU.test(model.system.cpu)) {
      evidence.push({ kind: 'field', path: 'system.cpu', note: 'a virtual CPU’s name' });
      vendors.add(/KVM/i.test(model.system.cpu) ? 'KVM' : 'QEMU');
      certain = true;
    }
    const guestModules: string[] = [];
    for (const m of [...model.modules, ...model.unloadedModules]) {
      const key = moduleKey(m.name);
      const hit = GUEST_MODULES.find(([re]) => re.test(key));
      if (!hit) continue;
      guestModules.push(m.name);
      vendors.add(hit[1]);
      evidence.push({ kind: 'module', name: m.name, note: `${hit[1]} guest component` });
    }
    if (evidence.length === 0) return [];

    const names = vendors.size > 0 ? ` (${[...vendors].join(', ')})` : '';
    const what = [
      model.system.virtualization ? `the dump says: ${model.system.virtualization}` : null,
      vm ? `!analyze -v says VIRTUAL_MACHINE: ${vm.trim()}` : null,
      model.system.cpu && VIRTUAL_CPU.test(model.system.cpu) ? `the CPU is a ${model.system.cpu}` : null,
      guestModules.length > 0 ? `guest modules loaded: ${guestModules.slice(0, 4).join(', ')}${guestModules.length > 4 ? '…' : ''}` : null,
    ].filter((x) => x !== null);
    return [
      {
        // Guest tools alone are strong but not proof: a module of the same name can be copied
        // to a physical machine, and an image can be moved out of its VM.
        confidence: certain ? 'certain' : 'likely',
        messageId: 'virtualized',
        data: { names, signs: what.join('; ') },
        evidence,
      },
    ];
  },
});
