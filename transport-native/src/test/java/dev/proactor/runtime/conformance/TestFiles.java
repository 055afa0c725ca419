package dev.proactor.runtime.conformance;

import com.sun.jna.WString;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.iocp.Kernel32;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.IOException;
import java.nio.file.Path;

/** Opens files for READ/WRITE ops: open(2) on Linux, CreateFileW with FILE_FLAG_OVERLAPPED on Windows. */
public final class TestFiles {
    private TestFiles() {
    }

    /** Read-write, created and truncated. */
    public static int create(Path p) throws IOException {
        return open(p, true);
    }

    public static int openReadOnly(Path p) throws IOException {
        return open(p, false);
    }

    private static int open(Path p, boolean create) throws IOException {
        if (TestPlatform.isWindows()) {
            long h = Kernel32.CreateFileW(new WString(p.toString()),
                    create ? Kernel32.GENERIC_READ | Kernel32.GENERIC_WRITE : Kernel32.GENERIC_READ,
                    Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE | Kernel32.FILE_SHARE_DELETE, 0,
                    create ? Kernel32.CREATE_ALWAYS : Kernel32.OPEN_EXISTING,
                    Kernel32.FILE_ATTRIBUTE_NORMAL | Kernel32.FILE_FLAG_OVERLAPPED, 0);
            if (h == Kernel32.INVALID_HANDLE_VALUE) {
                throw ErrnoException.ofWindows("CreateFileW " + p, Kernel32.lastError());
            }
            return (int) h;
        }
        int flags = create ? LinuxConstants.O_RDWR | LinuxConstants.O_CREAT | LinuxConstants.O_TRUNC : LinuxConstants.O_RDONLY;
        int fd = LibC.open(p.toString(), flags | LinuxConstants.O_CLOEXEC, 0600);
        if (fd < 0) {
            throw ErrnoException.of("open " + p, LibC.errno());
        }
        return fd;
    }
}
