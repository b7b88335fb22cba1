package exchange

import (
	"context"
	"errors"
	"strings"
	"testing"

	"promptbench/workspace"
)

// TestImportRefusesSecrets: a file whose version holds a key is refused
// even when its hash matches, naming line and field.
func TestImportRefusesSecrets(t *testing.T) {
	content := "Call with key sk-abcdefghijklmnopqrstuvwx please"
	hash := workspace.ContentHash([]workspace.Message{{Role: workspace.RoleUser, Content: content}}, workspace.ModelConfig{})
	file := "schema: promptbench/v1\nprompts:\n- name: leaky\n  versions:\n  - number: 1\n    hash: \"" + hash +
		"\"\n    author: eve\n    time: \"2026-11-01T12:00:00Z\"\n    messages:\n    - role: user\n      content: " + content + "\n"
	ws := newTestWorkspace(t)
	_, err := Import(context.Background(), ws, "leaky.yaml", strings.NewReader(file), ImportOptions{})
	if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), "leaky.yaml:11: versions[0].messages[0].content: holds what looks like an API key") {
		t.Fatalf("err = %v", err)
	}
}
