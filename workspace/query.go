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
	err := ws.view(ctx, func(tx *storage.Tx) error {
		listing := promptListing{wanted: f.wanted()}
		err := listPrompts(tx, f, &listing)
		out = listing.prompts()
		return err
	})
	return out, err
}

// EachPrompt calls fn with the prompts matching f in name order, as List
// returns them, while it reads them: a command that prints them keeps no
// prompt. p and everything it holds (strings, tags, labels) are valid only
// until fn returns: fn copies what it keeps. fn may run on another
// goroutine than the caller's, one call at a time, and while the store is
// open: it must not wait for anything slow (a terminal, a pipe). An error
// from fn ends the listing and is returned.
func (ws *Workspace) EachPrompt(ctx context.Context, f Filter, fn func(p *Prompt) error) error {
	return ws.view(ctx, func(tx *storage.Tx) error {
		listing := promptListing{wanted: f.wanted(), visit: fn}
		return listPrompts(tx, f, &listing)
	})
}

// wanted tells whether a prompt matches f.
func (f Filter) wanted() func(*Prompt) bool {
	search := strings.ToLower(f.Search)
	return func(p *Prompt) bool {
		for _, t := range f.Tags {
			if !p.HasTag(t) {
				return false
			}
		}
		return search == "" || matchesSearch(*p, search)
	}
}

// listPrompts reads the records of the prompts f may match, in name order,
// and hands them to the listing, which keeps those wanted.
func listPrompts(tx *storage.Tx, f Filter, listing *promptListing) error {
	pipe := newListingPipe(listing)
	if len(f.Tags) == 0 {
		return pipe.finish(tx.ScanPromptsBorrowed(pipe.add))
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
			b, err := promptRecord(tx, name)
			if err == nil {
				err = pipe.add([]byte(name), b)
			}
			if err != nil {
				return pipe.finish(err)
			}
		}
		return pipe.finish(nil)
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
	return pipe.finish(err)
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
