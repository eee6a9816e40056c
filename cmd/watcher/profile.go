package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profiles are the --cpuprofile and --memprofile of one command, for
// measuring it (bench/profile.sh, BENCHMARKS.md); daily use sets neither.
type profiles struct {
	cpuFile, memFile string
	cpu              *os.File
}

// start begins the CPU profile when one is asked for.
func (p *profiles) start() error {
	if p.cpuFile == "" || p.cpu != nil {
		return nil
	}
	f, err := os.Create(p.cpuFile)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("cpu profile: %w", err)
	}
	p.cpu = f
	return nil
}

// stop ends the CPU profile and writes the heap profile, when asked for.
func (p *profiles) stop() error {
	var errs []error
	if p.cpu != nil {
		pprof.StopCPUProfile()
		if err := p.cpu.Close(); err != nil {
			errs = append(errs, fmt.Errorf("cpu profile: %w", err))
		}
		p.cpu = nil
	}
	if p.memFile != "" {
		errs = append(errs, writeHeapProfile(p.memFile))
		p.memFile = ""
	}
	return errors.Join(errs...)
}

// writeHeapProfile writes the allocation profile: what is live as of a
// final GC (inuse_*) and everything allocated since the start (alloc_*).
func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}
