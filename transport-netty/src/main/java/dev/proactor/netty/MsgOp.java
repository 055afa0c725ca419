package dev.proactor.netty;

import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketAddresses;
import io.netty.buffer.ByteBuf;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A reusable RECVMSG or SENDMSG op and the memory the kernel reads or writes while it is in flight: one
 * {@code struct msghdr}, one iovec, a sockaddr and a control (cmsg) area, in one block owned by this object, and
 * the ByteBuf the iovec points into. Everything stays untouched (and referenced) until the op's completion.
 */
final class MsgOp {
    private static final int MSGHDR_SIZE = 56;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    private static final int IOV = MSGHDR_SIZE;
    private static final int NAME = IOV + 16;
    private static final int CONTROL = NAME + SocketAddresses.STORAGE_SIZE;
    /** struct cmsghdr: size_t cmsg_len, int cmsg_level, int cmsg_type, then the data (8-aligned). */
    private static final int CMSG_HEADER = 16;

    final Op op = new Op();
    final ProactorIoOps ops = new ProactorIoOps(op);
    private final NativeBuffer memory;
    private final ByteBuffer mem;
    private final long base;
    private final int controlCapacity;
    private int controlUsed;

    /** The buffer the iovec points into; held until the completion. */
    ByteBuf buffer;
    /** The completion's result, for callers that process a batch in order. */
    int result;

    MsgOp(int controlCapacity) {
        this.controlCapacity = controlCapacity;
        this.memory = NativeBuffer.allocate(CONTROL + controlCapacity);
        this.mem = memory.buffer();
        this.base = memory.address();
    }

    /** The size of a control message carrying {@code dataLength} bytes, padding included (CMSG_SPACE). */
    static int controlSpace(int dataLength) {
        return CMSG_HEADER + align(dataLength);
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    long address() {
        return base;
    }

    /** Prepares the msghdr for a receive into [address, address + length), with room for the sender and {@code control} bytes of cmsgs. */
    MsgOp prepareReceive(long address, int length, boolean wantSender, int control) {
        if (control > controlCapacity) {
            throw new IllegalArgumentException("control area too small: " + control + " > " + controlCapacity);
        }
        mem.putLong(IOV, address).putLong(IOV + 8, length);
        mem.putLong(MSG_NAME, wantSender ? base + NAME : 0).putInt(MSG_NAMELEN, wantSender ? SocketAddresses.STORAGE_SIZE : 0);
        mem.putLong(MSG_IOV, base + IOV).putLong(MSG_IOVLEN, 1);
        mem.putLong(MSG_CONTROL, control > 0 ? base + CONTROL : 0).putLong(MSG_CONTROLLEN, control);
        mem.putInt(MSG_FLAGS, 0);
        controlUsed = 0;
        return this;
    }

    /** Prepares the msghdr for a send of [address, address + length) to {@code recipient} (null: the connected peer), without cmsgs yet. */
    MsgOp prepareSend(long address, int length, Socket socket, SocketAddress recipient) {
        mem.putLong(IOV, address).putLong(IOV + 8, length);
        if (recipient != null) {
            int len = socket.encode(recipient, mem, NAME);
            mem.putLong(MSG_NAME, base + NAME).putInt(MSG_NAMELEN, len);
        } else {
            mem.putLong(MSG_NAME, 0).putInt(MSG_NAMELEN, 0);
        }
        mem.putLong(MSG_IOV, base + IOV).putLong(MSG_IOVLEN, 1);
        mem.putLong(MSG_CONTROL, 0).putLong(MSG_CONTROLLEN, 0);
        mem.putInt(MSG_FLAGS, 0);
        controlUsed = 0;
        return this;
    }

    /** Appends a cmsg to a send prepared by {@link #prepareSend}; returns the offset of its data. */
    private int addControl(int level, int type, int dataLength) {
        int space = controlSpace(dataLength);
        if (controlUsed + space > controlCapacity) {
            throw new IllegalStateException("control area too small for another " + space + " bytes");
        }
        int off = CONTROL + controlUsed;
        for (int i = 0; i < space; i += 8) {
            mem.putLong(off + i, 0);
        }
        mem.putLong(off, CMSG_HEADER + dataLength).putInt(off + 8, level).putInt(off + 12, type);
        controlUsed += space;
        mem.putLong(MSG_CONTROL, base + CONTROL).putLong(MSG_CONTROLLEN, controlUsed);
        return off + CMSG_HEADER;
    }

    void addControlShort(int level, int type, int value) {
        mem.putShort(addControl(level, type, 2), (short) value);
    }

    void addControlInts(int level, int type, int... values) {
        int off = addControl(level, type, 4 * values.length);
        for (int i = 0; i < values.length; i++) {
            mem.putInt(off + 4 * i, values[i]);
        }
    }

    /** After a receive: the sender's address, or null if the kernel gave none. */
    SocketAddress sender() {
        int len = mem.getInt(MSG_NAMELEN);
        if (mem.getLong(MSG_NAME) == 0 || len <= 2) {
            return null;
        }
        return SocketAddresses.read(mem, NAME, len);
    }

    /** After a receive: msg_flags (MSG_TRUNC, MSG_CTRUNC ...). */
    int messageFlags() {
        return mem.getInt(MSG_FLAGS);
    }

    /** After a receive: the offset of the first cmsg of {@code level}/{@code type} at or after {@code from}'s next one, or -1. Start with -1. */
    int nextControl(int from, int level, int type) {
        long controlLength = mem.getLong(MSG_CONTROLLEN);
        if (mem.getLong(MSG_CONTROL) == 0) {
            return -1;
        }
        int end = CONTROL + (int) Math.min(controlLength, controlCapacity);
        int off = from < 0 ? CONTROL : from + align((int) mem.getLong(from));
        while (off + CMSG_HEADER <= end) {
            long len = mem.getLong(off);
            if (len < CMSG_HEADER || off + len > end) {
                return -1;
            }
            if (mem.getInt(off + 8) == level && mem.getInt(off + 12) == type) {
                return off;
            }
            off += align((int) len);
        }
        return -1;
    }

    /** The data length of the cmsg at {@code off} (from {@link #nextControl}). */
    int controlDataLength(int off) {
        return (int) mem.getLong(off) - CMSG_HEADER;
    }

    int controlInt(int off, int index) {
        return mem.getInt(off + CMSG_HEADER + 4 * index);
    }

    int controlUnsignedShort(int off) {
        return mem.getShort(off + CMSG_HEADER) & 0xffff;
    }

    /** The address the iovec points at. */
    long iovBase() {
        return mem.getLong(IOV);
    }

    /** Gives up the pinned buffer (after the completion). */
    ByteBuf takeBuffer() {
        ByteBuf b = buffer;
        buffer = null;
        return b;
    }
}
