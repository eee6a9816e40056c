package state

import "syscall"

// dropMapped tells the kernel that this process no longer needs the pages
// of the mapping at data (size bytes): they leave the process's resident
// set and stay in the page cache, from where the next read maps them
// again. The mapping is read-only and shared, so nothing is lost.
func dropMapped(data uintptr, size int64) error {
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(size), syscall.MADV_DONTNEED)
	if errno != 0 {
		return errno
	}
	return nil
}
