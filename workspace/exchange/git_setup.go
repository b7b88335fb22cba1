package exchange

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"promptbench/workspace"
)

// GitDriverName is the merge driver's name in .gitattributes and git's
// config (merge.promptbench.driver).
const GitDriverName = "promptbench"

// GitRepoRoot is the top of the git work tree holding dir.
func GitRepoRoot(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--show-toplevel")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", workspace.Invalidf("%s is not inside a git repository (git rev-parse: %v); run git init first", dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// GitSetup makes git merge the export files matching patterns (paths
// relative to the repository, as .gitattributes writes them) with the
// merge driver: a "PATTERN merge=promptbench" line in .gitattributes for
// each pattern, and merge.promptbench.name and .driver in the
// repository's own config. It changes only what is missing or different,
// and returns what it changed (nothing the second time).
func GitSetup(ctx context.Context, repo string, patterns []string, driver string) ([]string, error) {
	var changed []string
	attrs := filepath.Join(repo, ".gitattributes")
	data, err := os.ReadFile(attrs)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", attrs, err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		lines[strings.Join(strings.Fields(l), " ")] = true
	}
	add := data
	for _, p := range patterns {
		line := p + " merge=" + GitDriverName
		if lines[line] {
			continue
		}
		if len(add) > 0 && !bytes.HasSuffix(add, []byte("\n")) {
			add = append(add, '\n')
		}
		add = append(add, line+"\n"...)
		lines[line] = true
		changed = append(changed, ".gitattributes: "+line)
	}
	if len(changed) > 0 {
		if err := workspace.WriteFileAtomic(attrs, add); err != nil {
			return nil, err
		}
	}
	for _, kv := range [][2]string{
		{"merge." + GitDriverName + ".name", "promptbench export files, merged by meaning"},
		{"merge." + GitDriverName + ".driver", driver},
	} {
		get := exec.CommandContext(ctx, "git", "config", "--local", "--get", kv[0])
		get.Dir = repo
		if out, err := get.Output(); err == nil && strings.TrimSpace(string(out)) == kv[1] {
			continue
		}
		set := exec.CommandContext(ctx, "git", "config", "--local", kv[0], kv[1])
		set.Dir = repo
		if out, err := set.CombinedOutput(); err != nil {
			return changed, fmt.Errorf("git config %s: %v: %s", kv[0], err, bytes.TrimSpace(out))
		}
		changed = append(changed, "git config "+kv[0]+" = "+kv[1])
	}
	return changed, nil
}
