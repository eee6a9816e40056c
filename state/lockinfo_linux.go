package state

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// fileID returns the file's device and inode as /proc/locks prints them
// ("maj:min:inode", hex device numbers).
func fileID(path string) (string, bool) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return "", false
	}
	dev := uint64(st.Dev) //nolint:unconvert // Dev is uint32 on some architectures
	return fmt.Sprintf("%02x:%02x:%d", unix.Major(dev), unix.Minor(dev), st.Ino), true
}
