//go:build !linux

package state

// dropMapped does nothing where MADV_DONTNEED is not known to leave a
// shared file mapping intact.
func dropMapped(uintptr, int64) error { return nil }
