package messages

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoOtherPackageKeepsATableOfItsOwn reads every Go file of rcm outside
// this package and its tests, and refuses the shapes vi/en text took before
// it had one home: tables of {Vietnamese, English} pairs or keyed by "vi"
// and "en", a language type of another package, choosing between a vi and
// an en argument, comparing with "vi" or "en" by hand, and reading
// Accept-Language by hand (its q= weights, or x/text/language itself).
func TestNoOtherPackageKeepsATableOfItsOwn(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	report := func(fset *token.FileSet, pos token.Pos, format string, args ...any) {
		p := fset.Position(pos)
		rel, _ := filepath.Rel(root, p.Filename)
		found = append(found, rel+":"+strconv.Itoa(p.Line)+": "+fmt.Sprintf(format, args...))
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch name := d.Name(); {
			case path == filepath.Join(root, "messages"), strings.HasPrefix(name, "."), name == "testdata", name == "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		scanFile(fset, f, report)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d Go files under %s; the scan is not looking at rcm", files, root)
	}
	for _, f := range found {
		t.Error(f)
	}
}

// scanFile reports the shapes of a vi/en table in one file.
func scanFile(fset *token.FileSet, f *ast.File, report func(*token.FileSet, token.Pos, string, ...any)) {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"golang.org/x/text/language"` {
			report(fset, imp.Pos(), "imports x/text/language: negotiate with messages.Negotiate")
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSpec:
			if name := n.Name.Name; name == "Lang" || name == "Language" {
				report(fset, n.Pos(), "declares type %s: use messages.Lang", name)
			}
		case *ast.StructType:
			if fields := fieldNames(n.Fields); fields["vi"] && (fields["en"] || fields["english"]) {
				report(fset, n.Pos(), "a struct of vi and en texts: put them in the messages catalogue")
			}
		case *ast.CompositeLit:
			if m, ok := n.Type.(*ast.MapType); ok && isPair(m.Value) {
				report(fset, n.Pos(), "a table of [2]string pairs: put {vi, en} texts in the messages catalogue")
			}
			for _, elt := range n.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok && isLangLiteral(kv.Key) {
					report(fset, kv.Pos(), "a table keyed by %s: put its texts in the messages catalogue", literal(kv.Key))
				}
			}
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) && (isLangLiteral(n.X) || isLangLiteral(n.Y)) {
				report(fset, n.Pos(), "compares a language with a literal: use messages.Lang and its constants")
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING && (literal(n) == "q=" || strings.HasPrefix(literal(n), "q=")) {
				report(fset, n.Pos(), "reads Accept-Language weights: use messages.AcceptLanguage")
			}
		case *ast.FuncType:
			if params := fieldNames(n.Params); params["vi"] && (params["en"] || params["english"]) {
				report(fset, n.Pos(), "chooses between a vi and an en argument: use messages.Text or messages.Name")
			}
		}
		return true
	})
}

// isPair reports whether e is the type [2]string.
func isPair(e ast.Expr) bool {
	a, ok := e.(*ast.ArrayType)
	if !ok {
		return false
	}
	lit, ok := a.Len.(*ast.BasicLit)
	elt, isIdent := a.Elt.(*ast.Ident)
	return ok && lit.Value == "2" && isIdent && elt.Name == "string"
}

func isLangLiteral(e ast.Expr) bool {
	s := literal(e)
	return s == "vi" || s == "en"
}

// literal is the value of a string literal, or "".
func literal(e ast.Expr) string {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		return ""
	}
	return s
}

// fieldNames are the names of a parameter or field list.
func fieldNames(list *ast.FieldList) map[string]bool {
	names := map[string]bool{}
	for _, field := range list.List {
		for _, n := range field.Names {
			names[n.Name] = true
		}
	}
	return names
}
