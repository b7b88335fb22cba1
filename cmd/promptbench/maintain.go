package main

import (
	"os"
	"os/exec"
	"syscall"

	"github.com/spf13/cobra"
)

// maintainCommand compacts the store. Writing commands start it detached
// when their write left the store due for it, as git starts gc --auto, so
// that no user's command pays for rewriting the store.
func (a *app) maintainCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "maintain",
		Short:  "Compact the workspace store (run automatically in the background)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.openWorkspace("maintain")
			if err != nil {
				return err
			}
			return ws.Compact(cmd.Context())
		},
	}
}

// spawnMaintenance starts `promptbench maintain` for the workspace in its
// own session, detached from this process and its terminal; this process
// does not wait for it. Failing to start it only postpones the work to a
// later open.
func spawnMaintenance(dir string) {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	cmd := exec.Command(exe, "--workspace", dir, "--lock-wait", "30s", "maintain")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err == nil {
		_ = cmd.Process.Release()
	}
}
