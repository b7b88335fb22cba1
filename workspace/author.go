package workspace

import (
	"os/exec"
	"strings"
)

// DefaultAuthor is PROMPTBENCH_AUTHOR, else git's user.name, else $USER,
// else "unknown".
func DefaultAuthor(getenv func(string) string) string {
	if a := strings.TrimSpace(getenv("PROMPTBENCH_AUTHOR")); a != "" {
		return a
	}
	if out, err := exec.Command("git", "config", "user.name").Output(); err == nil {
		if a := strings.TrimSpace(string(out)); a != "" {
			return a
		}
	}
	if a := strings.TrimSpace(getenv("USER")); a != "" {
		return a
	}
	return "unknown"
}
