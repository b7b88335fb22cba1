package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestVerify is the CI check: an export whose protected labels were moved
// with approvals passes; a copy without the approval, one with a changed
// version, and one with a forced move fail with exit 1 naming each
// offence; a file that is not an export file is exit 2.
func TestVerify(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init", "--demo")
	c.protect("protected_labels: [production]\nprotected_since: 2026-10-01\nowners:\n  \"support/**\": [bob]\n")
	id := strings.TrimSuffix(strings.Fields(c.as("alice", "", "review", "request", "support/reply@3", "production").out)[1], ":")
	c.as("bob", "", "review", "approve", id)
	c.as("alice", "", "label", "support/reply@3", "production")
	dir := t.TempDir()
	file := filepath.Join(dir, "prompts.yaml")
	c.ok("", "export", "--out", file)
	mustContain(t, c.ok("", "verify", file), "12 protected labels: no offences")
	folder := filepath.Join(dir, "prompts")
	c.ok("", "export", "--dir", folder)
	mustContain(t, c.ok("", "verify", folder), "no offences")

	data, _ := os.ReadFile(file)
	good := string(data)
	noApproval := strings.Replace(good, "  action: approve\n", "  action: comment\n", 1)
	tampered := strings.Replace(good, "Answer the customer's ticket.\n", "Answer the customer's ticket now.\n", 1)
	// The same file in another YAML layout (go-yaml's) verifies the same.
	var anyDoc map[string]any
	if err := yaml.Unmarshal(data, &anyDoc); err != nil {
		t.Fatal(err)
	}
	other, err := yaml.MarshalWithOptions(anyDoc, yaml.Flow(true))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.ok("", "verify", writeFile(t, "flow.yaml", string(other))), "12 protected labels: no offences")

	for name, tc := range map[string]struct{ data, want string }{
		"approval edited out": {noApproval, "support/reply@production: protected label at version 3 without a valid approval: no approved review"},
		"approver edited":     {strings.Replace(good, "author: bob\n  action: approve", "author: alice\n  action: approve", 1), "does not count: alice requested review " + id},
		"content changed":     {tampered, "support/reply@2: hash 2eb5f463f6f8 does not match the version's content"},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.data == good {
				t.Fatal("the edit changed nothing")
			}
			r := c.run("", "verify", writeFile(t, "edited.yaml", tc.data))
			if r.code != 1 || !strings.Contains(r.out, tc.want) || !strings.Contains(r.out, "1 offence") {
				t.Fatalf("exit %d, want 1 and %q\n%s%s", r.code, tc.want, r.out, r.err)
			}
		})
	}

	c.as("alice", "", "label", "fun/joke@1", "production", "--force")
	c.ok("", "export", "--out", file)
	r := c.run("", "verify", file)
	if r.code != 1 || !strings.Contains(r.out, "fun/joke@production: forced to version 1 by alice") {
		t.Fatalf("forced move: exit %d\n%s", r.code, r.out)
	}
	mustExit(t, c.run("", "verify", writeFile(t, "bad.yaml", "schema: [\n")), 2, "bad.yaml: not an export file")
	mustExit(t, c.run("", "verify", writeFile(t, "bad.yaml", good+"  - stray: [\n")), 2, "bad.yaml:")
	mustExit(t, c.run("", "verify", filepath.Join(dir, "missing.yaml")), 2, "missing.yaml")
}
