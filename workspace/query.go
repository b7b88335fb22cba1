package workspace

import (
	"context"
	"fmt"
	"strings"

	"promptbench/storage"
)

// Filter selects prompts: all of Tags, and Search as a case-insensitive
// substring of name, description or tags.
type Filter struct {
	Tags   []Tag
	Search string
}

// pointReadLimit is where listing by tag switches from reading each
// matching prompt to scanning all of them: a point read costs about as much
// as scanning 20 records.
const pointReadLimit = 300

// List returns the prompts matching f in name order. With tags it walks
// the tag index instead of decoding every prompt.
func (ws *Workspace) List(ctx context.Context, f Filter) ([]Prompt, error) {
	var out []Prompt
	search := strings.ToLower(f.Search)
	err := ws.view(ctx, func(tx *storage.Tx) error {
		out = nil
		wanted := func(p *Prompt) bool {
			for _, t := range f.Tags {
				if !p.HasTag(t) {
					return false
				}
			}
			return search == "" || matchesSearch(*p, search)
		}
		keep := func(p Prompt) {
			if wanted(&p) {
				out = append(out, p)
			}
		}
		listing := promptListing{wanted: wanted}
		pipe := newListingPipe(&listing)
		if len(f.Tags) == 0 {
			err := pipe.finish(tx.ScanPromptsBorrowed(pipe.add))
			out = listing.prompts()
			return err
		}
		var names []string
		err := tx.ScanTag(f.Tags[0].String(), func(name string) error {
			names = append(names, name)
			return nil
		})
		if err != nil || len(names) == 0 {
			return err
		}
		// A few matches are cheapest as point reads; many are cheaper as
		// one sequential scan that decodes only the matching records.
		if len(names) <= pointReadLimit {
			for _, name := range names {
				p, err := GetPrompt(tx, name)
				if err != nil {
					return err
				}
				keep(p)
			}
			return nil
		}
		i := 0
		err = tx.ScanPromptsBorrowed(func(name, b []byte) error {
			for i < len(names) && names[i] < string(name) {
				i++
			}
			if i == len(names) || names[i] != string(name) {
				return nil
			}
			return pipe.add(name, b)
		})
		err = pipe.finish(err)
		out = listing.prompts()
		return err
	})
	return out, err
}

func matchesSearch(p Prompt, lower string) bool {
	if strings.Contains(p.Name, lower) || strings.Contains(strings.ToLower(p.Description), lower) {
		return true
	}
	for _, t := range p.Tags {
		if strings.Contains(t, lower) {
			return true
		}
	}
	return false
}

// Show returns the prompt and the version ref names.
func (ws *Workspace) Show(ctx context.Context, ref string) (Prompt, Version, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return Prompt{}, Version{}, err
	}
	var p Prompt
	var v Version
	err = ws.view(ctx, func(tx *storage.Tx) error {
		p, v, err = resolveRef(tx, r)
		return err
	})
	return p, v, err
}

// History returns the prompt and all its versions, oldest first.
func (ws *Workspace) History(ctx context.Context, name string) (Prompt, []Version, error) {
	if err := ValidateName(name); err != nil {
		return Prompt{}, nil, err
	}
	var p Prompt
	var versions []Version
	err := ws.view(ctx, func(tx *storage.Tx) error {
		var err error
		if p, err = GetPrompt(tx, name); err != nil {
			return err
		}
		return tx.ScanVersions(name, func(n int, b []byte) error {
			v, err := DecodeVersion(name, n, b)
			if err != nil {
				return err
			}
			versions = append(versions, v)
			return nil
		})
	})
	return p, versions, err
}

// Versions resolves two refs in one read, for diffs.
func (ws *Workspace) Versions(ctx context.Context, refs ...string) ([]Version, error) {
	parsed := make([]Ref, len(refs))
	for i, s := range refs {
		r, err := ParseRef(s)
		if err != nil {
			return nil, err
		}
		parsed[i] = r
	}
	out := make([]Version, len(refs))
	err := ws.view(ctx, func(tx *storage.Tx) error {
		for i, r := range parsed {
			_, v, err := resolveRef(tx, r)
			if err != nil {
				return fmt.Errorf("%s: %w", r, err)
			}
			out[i] = v
		}
		return nil
	})
	return out, err
}
