package served_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"promptbench/workspace/served"
)

// The README's program (Applications): load the export file, keep it
// current, and render the production prompt for one request. The README
// reads prompts.yaml; this reads the demo library.
func Example_program() {
	lib, err := served.Open("../../testdata/demo/library.yaml", served.Options{
		OnReload: func(err error) {
			if err != nil {
				log.Printf("prompts: %v (still serving the last good file)", err)
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go lib.Watch(ctx, 2*time.Second) // a new commit's file, without a restart

	r, err := lib.Render("summarize/article", map[string]any{
		"article":   "Go 1.26 is out.",
		"max_words": 30,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s@%d for %s\n", r.Prompt, r.Version, r.Config.Model)
	for _, m := range r.Messages {
		fmt.Printf("%s: %s\n", m.Role, m.Content)
	}
	// Then, with go-openai: client.CreateChatCompletion(ctx, r.ChatCompletionRequest())

	// Output:
	// summarize/article@3 for openai/gpt-4o-mini
	// system: You write neutral news summaries. Keep numbers and names exact. Never add facts that are not in the article.
	// user: Summarise in at most 30 words, one sentence:
	//
	// Go 1.26 is out.
}
