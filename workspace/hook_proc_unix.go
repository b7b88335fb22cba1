//go:build unix

package workspace

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts a hook in a process group of its own, so that a
// hook past its time limit is stopped with everything it started (a
// script's curl), not only the script.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
