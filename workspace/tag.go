package workspace

import (
	"fmt"
	"slices"
	"strings"
)

// DefaultFacet is the facet of a bare tag such as "beta".
const DefaultFacet = "tag"

// Tag is a taxonomy tag "facet:value".
type Tag struct {
	Facet string
	Value string
}

// String gives the canonical "facet:value" form.
func (t Tag) String() string { return t.Facet + ":" + t.Value }

// ParseTag reads "facet:value" or a bare "value" (facet "tag"). Facets and
// values are slugs; upper case is folded so "Tone:Formal" is "tone:formal".
func ParseTag(s string) (Tag, error) {
	raw := s
	s = strings.ToLower(strings.TrimSpace(s))
	facet, value, found := strings.Cut(s, ":")
	if !found {
		facet, value = DefaultFacet, s
	}
	if err := validateTagPart(raw, "facet", facet); err != nil {
		return Tag{}, err
	}
	if err := validateTagPart(raw, "value", value); err != nil {
		return Tag{}, err
	}
	return Tag{Facet: facet, Value: value}, nil
}

func validateTagPart(raw, what, part string) error {
	if part == "" {
		return Invalidf("tag %q has an empty %s; write facet:value, e.g. purpose:support", raw, what)
	}
	if len(part) > 64 {
		return Invalidf("tag %q: %s longer than 64 characters", raw, what)
	}
	for _, r := range part {
		if !isSlugRune(r) {
			return Invalidf("tag %q: %s has %q; use only a-z, 0-9, - and _", raw, what, r)
		}
	}
	return nil
}

// ParseTags parses, deduplicates and sorts tags.
func ParseTags(raw []string) ([]Tag, error) {
	tags := make([]Tag, 0, len(raw))
	for _, s := range raw {
		t, err := ParseTag(s)
		if err != nil {
			return nil, err
		}
		tags = append(tags, t)
	}
	return SortTags(tags), nil
}

// SortTags sorts by facet then value and drops duplicates.
func SortTags(tags []Tag) []Tag {
	slices.SortFunc(tags, func(a, b Tag) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(tags)
}

// TagStrings gives the canonical strings of tags.
func TagStrings(tags []Tag) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.String()
	}
	return out
}

// Check tells whether tag fits the declared taxonomy: it returns a warning
// for a tag outside it, or an error when the taxonomy is strict. A workspace
// that declares no facets accepts every tag silently; bare tags (facet
// "tag") are always allowed.
func (tx Taxonomy) Check(tag Tag) (warning string, err error) {
	if len(tx.Facets) == 0 || tag.Facet == DefaultFacet {
		return "", nil
	}
	values, ok := tx.Facets[tag.Facet]
	var msg string
	switch {
	case !ok:
		msg = fmt.Sprintf("tag %s: facet %q is not declared in the taxonomy (declared: %s)", tag, tag.Facet, strings.Join(tx.facetNames(), ", "))
	case len(values) > 0 && !slices.Contains(values, tag.Value):
		msg = fmt.Sprintf("tag %s: value %q is not declared for facet %s (declared: %s)", tag, tag.Value, tag.Facet, strings.Join(values, ", "))
	default:
		return "", nil
	}
	if tx.Strict {
		return "", Invalidf("%s; declare it under taxonomy.facets in config.yaml or set taxonomy.strict: false", msg)
	}
	return msg, nil
}

func (tx Taxonomy) facetNames() []string {
	names := make([]string, 0, len(tx.Facets))
	for f := range tx.Facets {
		names = append(names, f)
	}
	slices.Sort(names)
	return names
}
