package main

import (
	"runtime/debug"

	"github.com/spf13/cobra"
)

// maintainCommand compacts the store a bounded step at a time. Writing
// commands start it detached when their write left the store due for it, as
// git starts gc --auto. It gives way to users: a command that needs the
// store sends it SIGTERM (which cancels the command's context), and it
// closes the store after the step under way.
func (a *app) maintainCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "maintain",
		Short:  "Compact the workspace store (run automatically in the background)",
		Hidden: true,
		Args:   exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			boundMaintenanceMemory(a.getenv)
			ws, err := a.openWorkspace("maintain")
			if err != nil {
				return err
			}
			return ws.Compact(cmd.Context())
		},
	}
}

// maintenanceMemoryLimit is the heap size past which the maintenance's
// garbage collector works harder. Merging the 117 level-0 tables of a
// 400,000-row evaluation allocates about 1 GB: Badger decompresses each
// block it reads into a new buffer and makes a 3 MB index builder and a
// few MB of buffers for each table it writes, up to 13 tables at once
// while their writes wait on the disk, so the live heap itself ranges
// from 30 to about 75 MB. With Go's defaults the garbage took resident
// memory to 120-210 MB; with this limit 45-70 MB, for 1 to 1.5 s more
// CPU time over the 1.6-1.8 s of that merge. Below the live heap, a
// limit only makes the collector run more often.
const maintenanceMemoryLimit = 40 << 20

// boundMaintenanceMemory sets the soft memory limit of the maintenance
// unless the user set GOMEMLIMIT.
func boundMaintenanceMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(maintenanceMemoryLimit)
	}
}
