//go:build !linux

package state

// fileID is only needed to read /proc/locks, which only Linux has.
func fileID(string) (string, bool) { return "", false }
