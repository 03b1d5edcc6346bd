package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalAll(t *testing.T) {
	root := t.TempDir()
	writeDataset(t, root)
	t.Run("table", func(t *testing.T) {
		preds := t.TempDir()
		code, out, errOut := runCmd(t, "eval", "--all", root, "--folds", "2", "--predictions", preds)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var bodies map[string]map[string]string
		data, err := os.ReadFile(filepath.Join(preds, "articles.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &bodies); err != nil || !strings.Contains(bodies["good"]["articleBody"], "council approved") {
			t.Errorf("articles predictions = %v (%v)", bodies, err)
		}
		if _, err := os.Stat(filepath.Join(preds, "metadata.json")); err != nil {
			t.Error(err)
		}
		for _, want := range []string{"fold1", "fold2", "spread", "articles  body F1", "metadata  byline token F1",
			"metadata  published date", "not found: fundus"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("json and ablation", func(t *testing.T) {
		code, out, errOut := runCmd(t, "eval", "--all", root, "--ablation", "--json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		kinds := map[string]int{}
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			kinds[m["kind"].(string)]++
		}
		// articles: 3 figures; metadata: 4. Key figures: articles body F1,
		// metadata byline and date, for each heuristic.
		if kinds["eval"] != 7 || kinds["ablation"] != 3*len(strings.Split(heuristicNames(), ", ")) {
			t.Errorf("rows by kind = %v", kinds)
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{
			{"eval", "--all", root, "--folds", "1"},
			{"eval", "--dataset", root, "--folds", "3"},
			{"eval", "--all", root, "--ablate", "no-such-heuristic"},
		} {
			if code, _, _ := runCmd(t, args...); code != exitUsage {
				t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
			}
		}
		if code, _, _ := runCmd(t, "eval", "--all", t.TempDir()); code != exitError {
			t.Errorf("empty root: exit %d, want %d", code, exitError)
		}
	})
}

func TestFoldOf(t *testing.T) {
	counts := make([]int, 5)
	for i := 0; i < 1000; i++ {
		id := "page-" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('0'+i%10)) + string(rune('A'+i/26%26))
		f := foldOf(id, 5)
		if f != foldOf(id, 5) {
			t.Fatal("foldOf is not deterministic")
		}
		counts[f]++
	}
	for f, n := range counts {
		if n < 100 {
			t.Errorf("fold %d got %d of 1000 ids: %v", f, n, counts)
		}
	}
}
