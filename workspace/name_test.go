package workspace

import (
	"errors"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"comedian", true},
		{"support/reply-v2_final", true},
		{"a", true},
		{"", false},
		{"Comedian", false},
		{"with space", false},
		{"/leading", false},
		{"trailing/", false},
		{"double//slash", false},
		{"dot.name", false},
		{"at@name", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateName(tt.name)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
		})
	}
}

func TestParseTag(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"purpose:support", "purpose:support", true},
		{"Tone:Formal", "tone:formal", true},
		{"beta", "tag:beta", true},
		{"purpose:", "", false},
		{":x", "", false},
		{"a:b:c", "", false},
		{"purpose:cust omer", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTag(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseTag(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if tt.ok && got.String() != tt.want {
				t.Fatalf("ParseTag(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestTaxonomyCheck(t *testing.T) {
	tx := Taxonomy{Facets: map[string][]string{"tone": {"formal", "friendly"}, "purpose": nil}}
	cases := []struct {
		tag     string
		strict  bool
		warn    bool
		wantErr bool
	}{
		{"tone:formal", false, false, false},
		{"purpose:anything", false, false, false}, // a facet without values takes any value
		{"tone:sarcastic", false, true, false},
		{"mood:happy", false, true, false},
		{"tone:sarcastic", true, false, true},
		{"mood:happy", true, false, true},
		{"beta", true, false, false},
	}
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			tx.Strict = c.strict
			tag, err := ParseTag(c.tag)
			if err != nil {
				t.Fatal(err)
			}
			warning, err := tx.Check(tag)
			if (warning != "") != c.warn || (err != nil) != c.wantErr {
				t.Fatalf("Check(%s, strict=%v) = %q, %v", c.tag, c.strict, warning, err)
			}
		})
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		in   string
		want Ref
		ok   bool
	}{
		{"comedian", Ref{Name: "comedian"}, true},
		{"comedian@3", Ref{Name: "comedian", Number: 3}, true},
		{"comedian@production", Ref{Name: "comedian", Label: "production"}, true},
		{"comedian@a1b2c3", Ref{Name: "comedian", Hash: "a1b2c3"}, true},
		{"comedian@faded", Ref{Name: "comedian", Label: "faded"}, true}, // hex letters only: a label
		{"folder/name@staging", Ref{Name: "folder/name", Label: "staging"}, true},
		{"comedian@", Ref{}, false},
		{"comedian@0", Ref{}, false},
		{"comedian@Prod", Ref{}, false},
		{"Bad@1", Ref{}, false},
		{"", Ref{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRef(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseRef(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if got != tt.want {
				t.Fatalf("ParseRef(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if tt.ok && got.String() != tt.in {
				t.Fatalf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"a", "a@1", "a@prod", "a@abc123", "a/b@x", "@", "a@@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRef(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseRef(%q): error %v is not ErrInvalid", s, err)
			}
			return
		}
		again, err := ParseRef(r.String())
		if err != nil || again != r {
			t.Fatalf("round trip of %q: %+v -> %q -> %+v, %v", s, r, r.String(), again, err)
		}
	})
}

func FuzzParseTag(f *testing.F) {
	for _, s := range []string{"purpose:support", "beta", "a:b:c", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tag, err := ParseTag(s)
		if err != nil {
			return
		}
		again, err := ParseTag(tag.String())
		if err != nil || again != tag {
			t.Fatalf("round trip of %q: %v -> %v, %v", s, tag, again, err)
		}
	})
}
