package dev.proactor.runtime.uring;

import dev.proactor.runtime.NativeBuffer;

import java.util.ArrayList;
import java.util.List;

/** What the running kernel's io_uring offers: the io_uring_params features word and the probed opcodes. */
final class UringFeatures {
    private final int features;
    private final boolean[] ops;

    private UringFeatures(int features, boolean[] ops) {
        this.features = features;
        this.ops = ops;
    }

    /** Reads an IORING_REGISTER_PROBE answer. */
    static UringFeatures fromProbe(int features, NativeBuffer probe) {
        int opsLen = probe.buffer().get(1) & 0xff;
        boolean[] ops = new boolean[UringConstants.PROBE_OPS];
        for (int i = 0; i < opsLen && i < ops.length; i++) {
            int base = UringConstants.PROBE_HEADER + i * UringConstants.PROBE_OP_SIZE;
            int op = probe.buffer().get(base) & 0xff;
            int flags = probe.buffer().getShort(base + 2) & 0xffff;
            ops[op] = (flags & UringConstants.PROBE_OP_SUPPORTED) != 0;
        }
        return new UringFeatures(features, ops);
    }

    boolean supports(int opcode) {
        return opcode >= 0 && opcode < ops.length && ops[opcode];
    }

    boolean has(int feature) {
        return (features & feature) != 0;
    }

    /** IORING_FEAT_EXT_ARG (5.11): io_uring_enter takes a wait timeout, no TIMEOUT SQE needed. */
    boolean extArg() {
        return has(UringConstants.FEAT_EXT_ARG);
    }

    /** Multishot accept came with 5.19, as did IORING_OP_SOCKET, which the probe can see. */
    boolean multishotAccept() {
        return supports(UringConstants.OP_SOCKET);
    }

    /** The names of the {@code required} opcodes this kernel lacks. */
    List<String> missing(int[] required) {
        List<String> names = new ArrayList<>();
        for (int op : required) {
            if (!supports(op)) {
                names.add(UringConstants.opName(op));
            }
        }
        return names;
    }

    int features() {
        return features;
    }

    @Override
    public String toString() {
        return "features=0x" + Integer.toHexString(features)
                + (has(UringConstants.FEAT_NODROP) ? " NODROP" : "")
                + (has(UringConstants.FEAT_SUBMIT_STABLE) ? " SUBMIT_STABLE" : "")
                + (has(UringConstants.FEAT_FAST_POLL) ? " FAST_POLL" : "")
                + (extArg() ? " EXT_ARG" : "")
                + (multishotAccept() ? " multishot-accept" : "");
    }
}
