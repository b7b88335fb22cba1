//go:build !linux

package storage

// releaseSupported: no bulk open needs a goroutine that does nothing.
const releaseSupported = false

func releaseTablePages(string) int { return 0 }

type tableMapping struct{}

func tableMappings(string) []tableMapping { return nil }

func releaseMappings([]tableMapping) int { return 0 }

func reclaimTablePages(string) int { return 0 }
