package dev.proactor.runtime.uring;

/**
 * io_uring ABI numbers (include/uapi/linux/io_uring.h): syscalls, opcodes, flags and the byte layout of the
 * structures shared with the kernel. The syscall numbers are the same on x86-64 and aarch64.
 */
final class UringConstants {
    static final int SYS_SETUP = 425;
    static final int SYS_ENTER = 426;
    static final int SYS_REGISTER = 427;

    // opcodes (enum io_uring_op)
    static final int OP_NOP = 0;
    static final int OP_WRITEV = 2;
    static final int OP_POLL_ADD = 6;
    static final int OP_POLL_REMOVE = 7;
    static final int OP_SENDMSG = 9;
    static final int OP_RECVMSG = 10;
    static final int OP_TIMEOUT = 11;
    static final int OP_ACCEPT = 13;
    static final int OP_ASYNC_CANCEL = 14;
    static final int OP_CONNECT = 16;
    static final int OP_CLOSE = 19;
    static final int OP_READ = 22;
    static final int OP_WRITE = 23;
    static final int OP_SEND = 26;
    static final int OP_RECV = 27;
    static final int OP_SPLICE = 30;
    static final int OP_SHUTDOWN = 34;
    /** Not used; its presence marks a 5.19+ kernel, which also has multishot accept. */
    static final int OP_SOCKET = 45;
    /** Not used; its presence marks a 6.0+ kernel, which also has multishot recv (and buffer rings, 5.19). */
    static final int OP_SEND_ZC = 47;

    /** The opcodes the driver cannot work without (every {@link dev.proactor.runtime.OpCode} plus cancel). */
    static final int[] REQUIRED_OPS = {
        OP_NOP, OP_POLL_ADD, OP_SENDMSG, OP_RECVMSG, OP_TIMEOUT, OP_ACCEPT, OP_ASYNC_CANCEL, OP_CONNECT,
        OP_CLOSE, OP_READ, OP_WRITE, OP_SEND, OP_RECV, OP_SPLICE, OP_SHUTDOWN,
    };

    // io_uring_setup flags
    static final int SETUP_CQSIZE = 1 << 3;
    static final int SETUP_CLAMP = 1 << 4;
    static final int SETUP_SUBMIT_ALL = 1 << 7;
    static final int SETUP_COOP_TASKRUN = 1 << 8;
    static final int SETUP_SINGLE_ISSUER = 1 << 12;
    static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // io_uring_params.features
    static final int FEAT_SINGLE_MMAP = 1;
    static final int FEAT_NODROP = 1 << 1;
    static final int FEAT_SUBMIT_STABLE = 1 << 2;
    static final int FEAT_RW_CUR_POS = 1 << 3;
    static final int FEAT_FAST_POLL = 1 << 5;
    static final int FEAT_EXT_ARG = 1 << 8;

    // io_uring_enter flags
    static final int ENTER_GETEVENTS = 1;
    static final int ENTER_EXT_ARG = 1 << 3;
    static final int ENTER_REGISTERED_RING = 1 << 4;

    // io_uring_register opcodes
    static final int REGISTER_PROBE = 8;
    static final int REGISTER_RING_FDS = 20;
    static final int UNREGISTER_RING_FDS = 21;
    static final int REGISTER_PBUF_RING = 22;
    static final int UNREGISTER_PBUF_RING = 23;

    // sq_ring->flags
    static final int SQ_CQ_OVERFLOW = 1 << 1;

    // sqe->ioprio for ACCEPT
    static final int ACCEPT_MULTISHOT = 1;
    // sqe->ioprio for RECV
    static final int RECV_MULTISHOT = 1 << 1;
    /** IORING_RECVSEND_POLL_FIRST (5.19): arm the poll before trying the receive. */
    static final int RECVSEND_POLL_FIRST = 1;

    // sqe->flags
    /** IOSQE_BUFFER_SELECT: the kernel picks the buffer from the group in sqe->buf_group. */
    static final int SQE_BUFFER_SELECT = 1 << 5;

    // mmap offsets
    static final long OFF_SQ_RING = 0L;
    static final long OFF_CQ_RING = 0x8000000L;
    static final long OFF_SQES = 0x10000000L;

    /** io_uring_probe: 16-byte header, then 8 bytes per op with u16 flags at +2. */
    static final int PROBE_HEADER = 16;
    static final int PROBE_OP_SIZE = 8;
    static final int PROBE_OPS = 256;
    static final int PROBE_OP_SUPPORTED = 1;

    /** errno: io_uring_enter reports dropped CQEs (no memory for the overflow list). */
    static final int EBADR = 53;

    /** _NSIG / 8: the sigset size io_uring_enter expects. */
    static final int SIGSET_SIZE = 8;

    /** struct io_uring_params (120 bytes). */
    static final class Params {
        static final int SIZE = 120;
        static final int SQ_ENTRIES = 0;
        static final int CQ_ENTRIES = 4;
        static final int FLAGS = 8;
        static final int FEATURES = 20;
        // struct io_sqring_offsets sq_off at 40
        static final int SQ_HEAD = 40;
        static final int SQ_TAIL = 44;
        static final int SQ_RING_MASK = 48;
        static final int SQ_RING_ENTRIES = 52;
        static final int SQ_FLAGS = 56;
        static final int SQ_DROPPED = 60;
        static final int SQ_ARRAY = 64;
        // struct io_cqring_offsets cq_off at 80
        static final int CQ_HEAD = 80;
        static final int CQ_TAIL = 84;
        static final int CQ_RING_MASK = 88;
        static final int CQ_RING_ENTRIES = 92;
        static final int CQ_OVERFLOW = 96;
        static final int CQ_CQES = 100;

        private Params() {
        }
    }

    /** struct io_uring_sqe (64 bytes). */
    static final class Sqe {
        static final int SIZE = 64;
        static final int OPCODE = 0;
        static final int FLAGS = 1;
        static final int IOPRIO = 2;
        static final int FD = 4;
        /** off / addr2 */
        static final int OFF = 8;
        /** addr / splice_off_in */
        static final int ADDR = 16;
        static final int LEN = 24;
        /** rw_flags / msg_flags / accept_flags / poll32_events / timeout_flags / cancel_flags / splice_flags */
        static final int OP_FLAGS = 28;
        static final int USER_DATA = 32;
        /** buf_index / buf_group (u16), then personality (u16) */
        static final int BUF_INDEX = 40;
        static final int PERSONALITY = 42;
        static final int SPLICE_FD_IN = 44;
        static final int ADDR3 = 48;

        private Sqe() {
        }
    }

    /** struct io_uring_buf_reg (40 bytes), the argument of IORING_(UN)REGISTER_PBUF_RING. */
    static final class BufReg {
        static final int SIZE = 40;
        static final int RING_ADDR = 0;
        static final int RING_ENTRIES = 8;
        static final int BGID = 12;
        static final int FLAGS = 14;

        private BufReg() {
        }
    }

    /**
     * struct io_uring_buf_ring: an array of struct io_uring_buf (16 bytes: u64 addr, u32 len, u16 bid, u16 resv)
     * whose first entry's resv field is the ring's tail (u16, written by us, load-acquired by the kernel).
     */
    static final class BufRing {
        static final int ENTRY_SIZE = 16;
        static final int ADDR = 0;
        static final int LEN = 8;
        static final int BID = 12;
        static final int TAIL = 14;

        private BufRing() {
        }
    }

    /** struct io_uring_cqe (16 bytes). */
    static final class Cqe {
        static final int SIZE = 16;
        static final int USER_DATA = 0;
        static final int RES = 8;
        static final int FLAGS = 12;

        private Cqe() {
        }
    }

    private static final String[] OP_NAMES = new String[64];

    static {
        OP_NAMES[OP_NOP] = "NOP";
        OP_NAMES[OP_WRITEV] = "WRITEV";
        OP_NAMES[OP_POLL_ADD] = "POLL_ADD";
        OP_NAMES[OP_POLL_REMOVE] = "POLL_REMOVE";
        OP_NAMES[OP_SENDMSG] = "SENDMSG";
        OP_NAMES[OP_RECVMSG] = "RECVMSG";
        OP_NAMES[OP_TIMEOUT] = "TIMEOUT";
        OP_NAMES[OP_ACCEPT] = "ACCEPT";
        OP_NAMES[OP_ASYNC_CANCEL] = "ASYNC_CANCEL";
        OP_NAMES[OP_CONNECT] = "CONNECT";
        OP_NAMES[OP_CLOSE] = "CLOSE";
        OP_NAMES[OP_READ] = "READ";
        OP_NAMES[OP_WRITE] = "WRITE";
        OP_NAMES[OP_SEND] = "SEND";
        OP_NAMES[OP_RECV] = "RECV";
        OP_NAMES[OP_SPLICE] = "SPLICE";
        OP_NAMES[OP_SHUTDOWN] = "SHUTDOWN";
        OP_NAMES[OP_SOCKET] = "SOCKET";
        OP_NAMES[OP_SEND_ZC] = "SEND_ZC";
    }

    static String opName(int opcode) {
        String n = opcode >= 0 && opcode < OP_NAMES.length ? OP_NAMES[opcode] : null;
        return "IORING_OP_" + (n != null ? n : Integer.toString(opcode));
    }

    private UringConstants() {
    }
}
