package workspace

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"promptbench/storage"
)

// GetPrompt reads the prompt record name in tx; ErrNotFound when there is
// none.
func GetPrompt(tx *storage.Tx, name string) (Prompt, error) {
	b, err := promptRecord(tx, name)
	if err != nil {
		return Prompt{}, err
	}
	return DecodePrompt(name, b)
}

// promptRecord is the stored record of the prompt, not yet decoded.
func promptRecord(tx *storage.Tx, name string) ([]byte, error) {
	b, err := tx.GetPrompt(name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, notFoundf("no prompt named %q; `promptbench list` shows the prompts", name)
	}
	if err != nil {
		return nil, fmt.Errorf("read prompt %s: %w", name, err)
	}
	return b, nil
}

func getVersion(tx *storage.Tx, name string, n int) (Version, error) {
	b, err := tx.GetVersion(name, n)
	if errors.Is(err, storage.ErrNotFound) {
		return Version{}, notFoundf("%s has no version %d", name, n)
	}
	if err != nil {
		return Version{}, fmt.Errorf("read %s@%d: %w", name, n, err)
	}
	return DecodeVersion(name, n, b)
}

// resolveRef finds the version a ref names inside a transaction.
func resolveRef(tx *storage.Tx, r Ref) (Prompt, Version, error) {
	p, err := GetPrompt(tx, r.Name)
	if err != nil {
		return Prompt{}, Version{}, err
	}
	n, err := p.versionFor(tx, r)
	if err != nil {
		return Prompt{}, Version{}, err
	}
	if n > p.Latest {
		return Prompt{}, Version{}, notFoundf("%s has versions 1 to %d, not %d", r.Name, p.Latest, n)
	}
	v, err := getVersion(tx, r.Name, n)
	return p, v, err
}

func (p Prompt) versionFor(tx *storage.Tx, r Ref) (int, error) {
	switch {
	case r.Number > 0:
		return r.Number, nil
	case r.Label != "":
		if n, ok := p.Labels[r.Label]; ok {
			return n, nil
		}
		return 0, notFoundf("%s has no label %q (labels: %s)", p.Name, r.Label, p.labelList())
	case r.Hash != "":
		// A label spelled like hex wins over a hash prefix.
		if n, ok := p.Labels[r.Hash]; ok {
			return n, nil
		}
		return p.versionByHash(tx, r.Hash)
	}
	return p.Latest, nil
}

func (p Prompt) versionByHash(tx *storage.Tx, prefix string) (int, error) {
	var matches []int
	hashes := map[string]bool{}
	err := tx.ScanVersions(p.Name, func(n int, b []byte) error {
		v, err := DecodeVersion(p.Name, n, b)
		if err != nil {
			return err
		}
		if strings.HasPrefix(v.Hash, prefix) {
			matches = append(matches, n)
			hashes[v.Hash] = true
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	switch {
	case len(matches) == 0:
		return 0, notFoundf("%s has no version or label matching %q", p.Name, prefix)
	case len(hashes) == 1:
		// Content committed again (a revert) has the same hash: the
		// newest version with it is the one meant.
		return matches[len(matches)-1], nil
	}
	return 0, Invalidf("hash prefix %q matches versions %v of %s; give more characters", prefix, matches, p.Name)
}

func (p Prompt) labelList() string {
	if len(p.Labels) == 0 {
		return "none"
	}
	names := make([]string, 0, len(p.Labels))
	for l, n := range p.Labels {
		names = append(names, fmt.Sprintf("%s→%d", l, n))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func sortStrings(s []string) { sort.Strings(s) }
