package dev.proactor.runtime;

import com.sun.jna.Platform;
import com.sun.jna.WString;
import dev.proactor.runtime.iocp.Kernel32;
import dev.proactor.runtime.iocp.PortAssociations;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Files opened for ops (READ, and SPLICE's input): a descriptor on Linux, a HANDLE on Windows (opened for
 * overlapped I/O, so reads at an offset never use a shared position), both kept in an {@code int}.
 */
public final class FileHandles {
    private FileHandles() {
    }

    /** Opens {@code path} read-only; the caller closes the handle with {@link #close}. */
    public static int openForReading(Path path) throws IOException {
        if (Platform.isWindows()) {
            long h = Kernel32.CreateFileW(new WString(path.toString()), Kernel32.GENERIC_READ,
                    Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE | Kernel32.FILE_SHARE_DELETE, 0,
                    Kernel32.OPEN_EXISTING,
                    Kernel32.FILE_ATTRIBUTE_NORMAL | Kernel32.FILE_FLAG_OVERLAPPED | Kernel32.FILE_FLAG_SEQUENTIAL_SCAN, 0);
            if (h == Kernel32.INVALID_HANDLE_VALUE) {
                throw ErrnoException.ofWindows("CreateFileW(" + path + ")", Kernel32.lastError());
            }
            return (int) h;
        }
        int fd = LibC.open(path.toString(), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
        if (fd < 0) {
            throw ErrnoException.of("open(" + path + ")", LibC.errno());
        }
        return fd;
    }

    /**
     * Closes a handle from {@link #openForReading} that no op is using (a regular file: never in the poll
     * driver's epoll set). Returns 0 or the error (an errno on Linux, a Win32 code on Windows).
     */
    public static int close(int handle) {
        if (Platform.isWindows()) {
            PortAssociations.handleClosed(handle);
            return Kernel32.CloseHandle(handle) != 0 ? 0 : Kernel32.lastError();
        }
        return LibC.close(handle) == 0 ? 0 : LibC.errno();
    }
}
