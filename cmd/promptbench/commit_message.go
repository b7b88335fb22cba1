package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"
)

// commitMessage is -m, or on a terminal what the user writes in $EDITOR.
// An empty message is refused: history without reasons is hard to review.
func (a *app) commitMessage(cmd *cobra.Command, name, flag string) (string, error) {
	if cmd.Flags().Changed("message") {
		if strings.TrimSpace(flag) == "" {
			return "", usagef("commit needs a message: pass -m \"what changed and why\" (-m \"\" is empty)")
		}
		return flag, nil
	}
	if !a.interactive {
		return "", usagef("commit needs a message: pass -m \"what changed and why\" (the editor opens only on a terminal)")
	}
	return a.editMessage(name)
}

const messageHelp = `
# Write the commit message for %s above. Lines starting with '#' are
# left out; an empty message aborts the commit.
`

// editMessage opens $EDITOR (else vi) on a temporary file, as git does,
// and returns the text without comment lines.
func (a *app) editMessage(name string) (string, error) {
	f, err := os.CreateTemp("", "promptbench-commit-*.txt")
	if err != nil {
		return "", fmt.Errorf("commit message file: %w", err)
	}
	path := f.Name()
	defer os.Remove(path)
	_, err = fmt.Fprintf(f, messageHelp, name)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("commit message file %s: %w", path, err)
	}
	editor := a.getenv("VISUAL")
	if editor == "" {
		editor = a.getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	// Through the shell, as git runs it: EDITOR may hold arguments
	// ("code --wait").
	ed := exec.Command("sh", "-c", editor+` "$@"`, editor, path)
	ed.Stdin, ed.Stdout, ed.Stderr = a.In, a.Out, a.Err
	if err := ed.Run(); err != nil {
		return "", usagef(fmt.Sprintf("the editor (%s) failed: %v; nothing was committed (pass -m to skip the editor)", editor, err))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read the commit message: %w", err)
	}
	var lines []string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "#") {
			lines = append(lines, strings.TrimRight(line, " \t\r"))
		}
	}
	msg := strings.TrimSpace(strings.Join(lines, "\n"))
	if msg == "" {
		return "", usagef("commit aborted: the message was empty")
	}
	return msg, nil
}
