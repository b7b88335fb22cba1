//go:build unix

package main

import (
	"os"
	"os/exec"
	"syscall"
)

// backgroundMaintenance is what main passes as workspace maintenance.
func backgroundMaintenance() func(dir string) { return spawnMaintenance }

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
