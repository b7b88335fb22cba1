package themes

import (
	"errors"
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
