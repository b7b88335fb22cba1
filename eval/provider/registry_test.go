package provider

import (
	"errors"
	"strings"
	"testing"

	"promptbench/workspace"
	"promptbench/workspace/served"
)

func TestResolve(t *testing.T) {
	r, err := NewRegistry([]workspace.ProviderConfig{
		{Name: "local", BaseURL: "http://127.0.0.1:8000/v1", APIKeyEnv: "LOCAL_KEY"},
	}, Options{Getenv: envMap(map[string]string{"LOCAL_KEY": "k"})})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		model, wantProvider, wantModel string
		wantErr                        error
		wantMsg                        string
	}{
		{"openai/gpt-4o", "", "", ErrNoAPIKey, "provider openai needs an API key: set OPENAI_API_KEY"},
		{"gpt-4o", "", "", ErrModelFormat, `model "gpt-4o" must be written provider/model, e.g. openai/gpt-4o`},
		{"", "", "", ErrModelFormat, "no model given"},
		{"/gpt-4o", "", "", ErrModelFormat, "must be written provider/model"},
		{"anthropic/claude", "", "", ErrUnknownProvider, `unknown provider "anthropic" in model "anthropic/claude"; known providers: echo, local, ollama, openai`},
		{"ollama/llama3.1", "ollama", "llama3.1", nil, ""},
		{"echo/anything", "echo", "anything", nil, ""},
		{"local/openai/gpt-4o", "local", "openai/gpt-4o", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			p, m, err := r.Resolve(tt.model)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("Resolve(%q) error = %v, want %v containing %q", tt.model, err, tt.wantErr, tt.wantMsg)
				}
				return
			}
			if err != nil || p.Name() != tt.wantProvider || m != tt.wantModel {
				t.Fatalf("Resolve(%q) = %v, %q, %v", tt.model, p, m, err)
			}
		})
	}
}

func TestBuiltinsAndOverride(t *testing.T) {
	env := envMap(map[string]string{"OPENAI_BASE_URL": "http://proxy.internal/v1", "OPENAI_API_KEY": "k"})
	r, err := NewRegistry(nil, Options{Getenv: env})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := r.Resolve("openai/gpt-4o")
	if err != nil || p.baseURL != "http://proxy.internal/v1" || p.KeyEnv() != "OPENAI_API_KEY" {
		t.Fatalf("openai built-in: %+v, %v", p, err)
	}
	r, err = NewRegistry([]workspace.ProviderConfig{{Name: "openai", BaseURL: "http://other/v1", APIKeyEnv: "MY_KEY", Concurrency: 2, RPM: 60}},
		Options{Getenv: envMap(map[string]string{"MY_KEY": "k"})})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err = r.Resolve("openai/gpt-4o")
	if err != nil || p.baseURL != "http://other/v1" || p.KeyEnv() != "MY_KEY" || cap(p.sem) != 2 || p.limiter == nil {
		t.Fatalf("override: %+v, %v", p, err)
	}
	if got := strings.Join(r.Names(), ","); got != "echo,ollama,openai" {
		t.Errorf("Names() = %s", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  workspace.ProviderConfig
		want []string // all must appear in the error
	}{
		{"unknown kind", workspace.ProviderConfig{Name: "x", Kind: "anthropic"}, []string{`providers[0] "x": kind: unknown kind "anthropic"`}},
		{"azure without base_url", workspace.ProviderConfig{Name: "az", Kind: KindAzure}, []string{`providers[0] "az": base_url: required for kind azure`}},
		{"bad timeout", workspace.ProviderConfig{Name: "x", Timeout: "soon"}, []string{`providers[0] "x": timeout: "soon" is not a positive duration`}},
		{"negative timeout", workspace.ProviderConfig{Name: "x", Timeout: "-1s"}, []string{"timeout"}},
		{"missing name", workspace.ProviderConfig{Kind: KindEcho}, []string{"providers[0]: name: required"}},
		{"slash in name", workspace.ProviderConfig{Name: "a/b"}, []string{`providers[0] "a/b": name:`}},
		{"bad url", workspace.ProviderConfig{Name: "x", BaseURL: "localhost:8080"}, []string{`base_url: "localhost:8080" is not an http`}},
		{"negative limits", workspace.ProviderConfig{Name: "x", Concurrency: -1, RPM: -5}, []string{"concurrency: -1", "rpm: -5"}},
		{"negative price", workspace.ProviderConfig{Name: "x", Prices: map[string]workspace.Price{"m": {Input: -1}}}, []string{`prices: model "m"`}},
		{"bad header", workspace.ProviderConfig{Name: "x", Headers: map[string]string{"Bad Header": "v"}}, []string{`headers: "Bad Header"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate([]workspace.ProviderConfig{tt.cfg})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	t.Run("key pasted into api_key_env is not repeated", func(t *testing.T) {
		err := Validate([]workspace.ProviderConfig{{Name: "x", APIKeyEnv: testKey}})
		if err == nil || !strings.Contains(err.Error(), "api_key_env") || strings.Contains(err.Error(), testKey) {
			t.Fatalf("error = %v", err)
		}
	})
	t.Run("duplicate and several problems at once", func(t *testing.T) {
		err := Validate([]workspace.ProviderConfig{{Name: "x"}, {Name: "x", Kind: "nope"}})
		if err == nil || !strings.Contains(err.Error(), `providers[1] "x": name: duplicate of providers[0]`) ||
			!strings.Contains(err.Error(), `providers[1] "x": kind`) {
			t.Fatalf("error = %v", err)
		}
	})
	t.Run("good config", func(t *testing.T) {
		err := Validate([]workspace.ProviderConfig{
			{Name: "local", Kind: KindOpenAI, BaseURL: "http://127.0.0.1:11434/v1", APIKeyEnv: "LOCAL_API_KEY", Concurrency: 16, RPM: 600, Timeout: "30s"},
			{Name: "az", Kind: KindAzure, BaseURL: "https://r.openai.azure.com"},
			{Name: "demo", Kind: KindEcho},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewRegistry([]workspace.ProviderConfig{{Name: "x", Kind: "bad"}}, Options{}); err == nil {
			t.Fatal("NewRegistry accepted an invalid config")
		}
	})
}

func TestPrice(t *testing.T) {
	r, err := NewRegistry([]workspace.ProviderConfig{
		{Name: "local", BaseURL: "http://127.0.0.1:8000/v1", Prices: map[string]workspace.Price{"llama3.1": {Input: 0.1, Output: 0.2}}},
	}, Options{Getenv: envMap(nil)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		provider, model string
		want            workspace.Price
		ok              bool
	}{
		{"openai", "gpt-4o", workspace.Price{Input: 2.5, Output: 10}, true},
		{"openai", "gpt-4o-mini-2024-07-18", workspace.Price{Input: 0.15, Output: 0.6}, true},
		{"openai", "gpt-4.1-nano", workspace.Price{Input: 0.1, Output: 0.4}, true},
		{"openai", "o3", workspace.Price{Input: 2, Output: 8}, true},
		{"openai", "o4-mini", workspace.Price{Input: 1.1, Output: 4.4}, true},
		{"openai", "gpt-5-mini", workspace.Price{Input: 0.25, Output: 2}, true},
		{"openai", "gpt-9", workspace.Price{}, false},
		{"local", "llama3.1", workspace.Price{Input: 0.1, Output: 0.2}, true},
		{"local", "gpt-4o", workspace.Price{}, false},
		{"echo", "anything", workspace.Price{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.provider+"/"+tt.model, func(t *testing.T) {
			got, ok := r.providers[tt.provider].Price(tt.model)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Price = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestIsReasoning(t *testing.T) {
	for model, want := range map[string]bool{
		"o1": true, "o1-mini": true, "o3": true, "o3-mini-2025-01-31": true, "o4-mini": true, "gpt-5": true,
		"gpt-5-mini": true, "openai/o3": true, "gpt-5-chat-latest": false, "gpt-4o": false, "gpt-4.1": false,
		"omni": false, "o1x": false, "llama3.1": false,
	} {
		if got := served.IsReasoning(model); got != want {
			t.Errorf("served.IsReasoning(%q) = %v", model, got)
		}
	}
}

func TestKeyEnvNames(t *testing.T) {
	got := KeyEnvNames([]workspace.ProviderConfig{
		{Name: "local", APIKeyEnv: "LOCAL_KEY"},
		{Name: "az", Kind: KindAzure, BaseURL: "https://x.openai.azure.com"},
		{Name: "openai", APIKeyEnv: "MY_OPENAI"},
	})
	want := []string{"AZURE_OPENAI_API_KEY", "LOCAL_KEY", "MY_OPENAI", "OPENAI_API_KEY"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("KeyEnvNames = %v, want %v", got, want)
	}
}
