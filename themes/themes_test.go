package themes

import (
	"errors"
	"strings"
	"testing"
)

func TestEveryThemeBuilds(t *testing.T) {
	for _, name := range Names() {
		for _, dark := range []bool{true, false} {
			p, err := Lookup(name, dark)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			s := New(p, dark)
			if s.Markdown.Document.Color == nil || *s.Markdown.Document.Color != p.Text {
				t.Fatalf("%s: markdown text colour is not the palette's", name)
			}
		}
	}
}

func TestAutoFollowsTheBackground(t *testing.T) {
	dark, _ := Lookup("", true)
	light, _ := Lookup("auto", false)
	if dark.Name != "dark" || light.Name != "light" {
		t.Fatalf("auto picked %s on dark and %s on light", dark.Name, light.Name)
	}
}

func TestUnknownThemeNamesTheKnownOnes(t *testing.T) {
	_, err := Lookup("solarized", true)
	var ue *UnknownError
	if !errors.As(err, &ue) || err.Error() != `unknown theme "solarized" (themes: auto, dark, high-contrast, light)` {
		t.Fatalf("got %v", err)
	}
}

func TestUserFileOverridesColours(t *testing.T) {
	o, err := ParseOverrides("theme.yaml", []byte("# mine\ntheme: light\naccent: \"#d75f00\"\nerror: 196\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Lookup(o.Theme, true)
	p = o.Apply(p)
	if o.Theme != "light" || p.Accent != "#d75f00" || p.Error != "196" || p.Text != light().Text {
		t.Fatalf("got theme %q, palette %+v", o.Theme, p)
	}
}

func TestUserFileErrorsNameTheLine(t *testing.T) {
	cases := map[string]struct{ data, want string }{
		"unknown colour": {"accent: \"#fff\"\nbackground: \"#000\"\n", `theme.yaml:2: unknown colour "background"`},
		"bad colour":     {"accent: orange\n", `theme.yaml:1: accent: "orange" is not a colour`},
		"bad theme":      {"\n\ntheme: neon\n", `theme.yaml:3: unknown theme "neon"`},
		"not a mapping":  {"- accent\n", "theme.yaml:1: want a mapping"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseOverrides("theme.yaml", []byte(c.data))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got %v, want %s…", err, c.want)
			}
		})
	}
}
