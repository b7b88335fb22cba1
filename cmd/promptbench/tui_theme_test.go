package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUserThemeFile(t *testing.T) {
	cfg := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": cfg}
	a := newApp(streams{}, func(k string) string { return env[k] }, nil)
	if o, err := a.userTheme(); err != nil || o.Theme != "" || len(o.Colours) != 0 {
		t.Fatalf("without a file: %+v, %v", o, err)
	}
	file := filepath.Join(cfg, "promptbench", "theme.yaml")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, []byte("theme: light\naccent: \"#d75f00\"\n"), 0o644)
	if o, err := a.userTheme(); err != nil || o.Theme != "light" || o.Colours["accent"] != "#d75f00" {
		t.Fatalf("with a file: %+v, %v", o, err)
	}
	os.WriteFile(file, []byte("theme: light\naccent: orange\n"), 0o644)
	_, err := a.userTheme()
	if exitCode(err) != 2 || !strings.Contains(err.Error(), file+":2: accent: \"orange\" is not a colour") {
		t.Fatalf("bad colour: exit %d, %v", exitCode(err), err)
	}
}
