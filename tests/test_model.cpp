// Unit tests of the Python semantic model on its own: name resolution,
// string facts and reaching definitions, independent of any rule.
#include <gtest/gtest.h>

#include "frontends/python/analyzer.h"
#include "frontends/python/model.h"
#include "frontends/python/syntax.h"

using namespace vigil;
using namespace vigil::python;

namespace {

struct Parsed {
  SourceFile file;
  ParsedModule module;
  Parsed(const std::string& src, const std::string& package = "")
      : file("t.py", src), module(file, package) {}

  // The last node of `kind` whose text is `text` (depth-first, pre-order).
  TSNode find(std::string_view k, std::string_view text) const {
    TSNode found{};
    walk(module.root(), k, text, found);
    EXPECT_FALSE(ts_node_is_null(found)) << "no " << k << " `" << text << "`";
    return found;
  }
  // The innermost scope holding n.
  int scope_at(TSNode n) const {
    for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p))
      if (int s = module.model().scope_of_node(p, -1); s >= 0) return s;
    return 0;
  }
  std::optional<std::string> qname(std::string_view expr) const {
    TSNode n = find_any(expr);
    return module.model().qualified_name(n, scope_at(n));
  }
  StringFacts facts(std::string_view expr) const {
    TSNode n = find_any(expr);
    return module.model().string_facts(n, scope_at(n));
  }
  TSNode find_any(std::string_view text) const {
    TSNode found{};
    walk(module.root(), "", text, found);
    EXPECT_FALSE(ts_node_is_null(found)) << "no node `" << text << "`";
    return found;
  }

 private:
  void walk(TSNode n, std::string_view k, std::string_view text, TSNode& found) const {
    if (ts_node_is_named(n) && (k.empty() || kind(n) == k) && module.model().text(n) == text) found = n;
    for (uint32_t i = 0; i < ts_node_child_count(n); ++i) walk(ts_node_child(n, i), k, text, found);
  }
};

TEST(ModelNames, ImportAliasesResolve) {
  Parsed p("from jose import jwt as j\nimport sqlite3 as s\nimport a.b.c\nimport os.path as osp\n"
           "j.encode(x)\ns.connect().cursor().execute(q)\na.b.c.d()\nosp.join(x)\n");
  EXPECT_EQ(p.qname("j.encode"), "jose.jwt.encode");
  EXPECT_EQ(p.qname("s.connect().cursor().execute"), "sqlite3.connect().cursor().execute");
  EXPECT_EQ(p.qname("a.b.c.d"), "a.b.c.d");
  EXPECT_EQ(p.qname("osp.join"), "os.path.join");
}

TEST(ModelNames, RelativeImportsUseThePackage) {
  Parsed p("from ..db import get_conn\nfrom . import models\nfrom .x.y import z as w\nget_conn()\nmodels.User\nw()\n",
           "app.routers");
  EXPECT_EQ(p.qname("get_conn"), "app.db.get_conn");
  EXPECT_EQ(p.qname("models.User"), "app.routers.models.User");
  EXPECT_EQ(p.qname("w"), "app.routers.x.y.z");
}

TEST(ModelNames, LocalVariablesCarryTheirOrigin) {
  Parsed p("import sqlite3\ndef f(path):\n    conn = sqlite3.connect(path)\n    cur = conn.cursor()\n"
           "    cur.execute(q)\n    with sqlite3.connect(path) as c2:\n        c2.execute(q)\n");
  EXPECT_EQ(p.qname("cur.execute"), "sqlite3.connect().cursor().execute");
  EXPECT_EQ(p.qname("c2.execute"), "sqlite3.connect().execute");
}

TEST(ModelNames, ParameterAnnotationsGiveInstances) {
  Parsed p("from sqlalchemy.orm import Session\nfrom typing import Optional\n"
           "def f(db: Session, other: Optional[Session], x):\n    db.execute\n    other.execute\n    x.execute\n");
  EXPECT_EQ(p.qname("db.execute"), "sqlalchemy.orm.Session().execute");
  EXPECT_EQ(p.qname("other.execute"), "sqlalchemy.orm.Session().execute");
  EXPECT_EQ(p.qname("x.execute"), std::nullopt);
}

TEST(ModelNames, AnnotatedAndTypeAliases) {
  Parsed p("import sqlite3\nfrom typing import Annotated\nfrom fastapi import Depends\n"
           "Db = Annotated[sqlite3.Connection, Depends(get_db)]\n"
           "def f(db: Db, c: Annotated[sqlite3.Connection, Depends(x)], d: sqlite3.Connection | None):\n"
           "    db.execute\n    c.execute\n    d.execute\n");
  EXPECT_EQ(p.qname("db.execute"), "sqlite3.Connection().execute");
  EXPECT_EQ(p.qname("c.execute"), "sqlite3.Connection().execute");
  EXPECT_EQ(p.qname("d.execute"), "sqlite3.Connection().execute");
}

TEST(ModelNames, ShadowingAndBuiltins) {
  Parsed p("from sqlalchemy import text\ndef text(s):\n    return s\ntext('x')\neval('1')\n");
  EXPECT_EQ(p.qname("text"), "__local__.text");
  EXPECT_EQ(p.qname("eval"), "eval");
}

TEST(ModelNames, DisagreeingBranchesAreUnknown) {
  Parsed p("import sqlite3, psycopg2\nif c:\n    m = sqlite3\nelse:\n    m = psycopg2\nm.connect\n");
  EXPECT_EQ(p.qname("m.connect"), std::nullopt);
}

TEST(ModelNames, StarImportMakesUnboundNamesUnknown) {
  Parsed p("from os import *\nsystem('x')\n");
  EXPECT_EQ(p.qname("system"), std::nullopt);
}

TEST(StringFacts, ConstantsAndModuleConstants) {
  Parsed p("def f():\n    return cur.execute(f\"SELECT * FROM {TABLE} LIMIT {10}\")\nTABLE = 'users'\n"
           "a = 'x' 'y'\nb = 'SELECT ' + 'z'\n");
  auto f = p.facts("f\"SELECT * FROM {TABLE} LIMIT {10}\"");
  EXPECT_TRUE(f.is_constant());
  EXPECT_EQ(f.text, "SELECT * FROM users LIMIT 10");
  EXPECT_TRUE(p.facts("'x' 'y'").is_constant());
  EXPECT_TRUE(p.facts("'SELECT ' + 'z'").is_constant());
}

TEST(StringFacts, BuiltStringsNameTheirParts) {
  Parsed p("def f(uid, name, cols):\n"
           "    a = f\"SELECT {uid}\"\n"
           "    b = \"SELECT %s\" % name\n"
           "    c = \"SELECT {}\".format(name)\n"
           "    d = \"SELECT \" + name\n"
           "    e = \", \".join(cols)\n");
  auto a = p.facts("f\"SELECT {uid}\"");
  ASSERT_TRUE(a.is_built());
  ASSERT_EQ(a.parts.size(), 1u);
  EXPECT_EQ(a.parts[0].how, "f-string");
  EXPECT_EQ(a.text, "SELECT {}");
  EXPECT_EQ(p.facts("\"SELECT %s\" % name").parts[0].how, "%-format");
  EXPECT_EQ(p.facts("\"SELECT {}\".format(name)").parts[0].how, ".format()");
  EXPECT_EQ(p.facts("\"SELECT \" + name").parts[0].how, "concatenation");
  EXPECT_EQ(p.facts("\", \".join(cols)").parts[0].how, "join");
}

TEST(StringFacts, PlaceholdersAndConstantIterablesStayConstant) {
  Parsed p("def f(ids):\n"
           "    a = \",\".join(\"?\" * len(ids))\n"
           "    b = \", \".join([\"%s\"] * len(ids))\n"
           "    c = \",\".join(\"?\" for _ in ids)\n"
           "    d = \", \".join([\"a\", \"b\"])\n");
  EXPECT_TRUE(p.facts("\",\".join(\"?\" * len(ids))").is_constant());
  EXPECT_TRUE(p.facts("\", \".join([\"%s\"] * len(ids))").is_constant());
  EXPECT_TRUE(p.facts("\",\".join(\"?\" for _ in ids)").is_constant());
  EXPECT_TRUE(p.facts("\", \".join([\"a\", \"b\"])").is_constant());
}

TEST(StringFacts, OpaqueValuesAreNotBuilt) {
  Parsed p("def f(q, x):\n    a = q\n    b = t\"SELECT {x}\"\n    c = get()\n");
  EXPECT_EQ(p.facts("q").kind, StringFacts::Kind::opaque);
  EXPECT_EQ(p.facts("t\"SELECT {x}\"").kind, StringFacts::Kind::opaque);
  EXPECT_EQ(p.facts("get()").kind, StringFacts::Kind::opaque);
}

TEST(ReachingDefs, BranchesMergeAndStraightLineKills) {
  Parsed p("def f(x, c):\n"
           "    q = f\"SELECT {x}\"\n"
           "    q = \"SELECT 1\"\n"
           "    use(q)\n"
           "    if c:\n"
           "        r = \"SELECT 1\"\n"
           "    else:\n"
           "        r = f\"SELECT {x}\"\n"
           "    use(r)\n");
  const Model& m = p.module.model();
  TSNode q = p.find("identifier", "q");  // the last `q`: use(q)
  auto q_defs = m.reaching_defs("q", p.scope_at(q), q);
  EXPECT_EQ(q_defs.size(), 1u);
  EXPECT_TRUE(p.facts("q").is_constant());
  TSNode r = p.find("identifier", "r");
  EXPECT_EQ(m.reaching_defs("r", p.scope_at(r), r).size(), 2u);
  auto rf = m.string_facts(r, p.scope_at(r));
  EXPECT_TRUE(rf.is_built());
  EXPECT_EQ(rf.built_line, 8u);
}

TEST(ReachingDefs, AugmentedAssignmentsChain) {
  Parsed p("def f(order):\n    q = \"SELECT * FROM t\"\n    q += \" ORDER BY \" + order\n    run(q)\n");
  TSNode q = p.find("identifier", "q");
  auto facts = p.module.model().string_facts(q, p.scope_at(q));
  ASSERT_TRUE(facts.is_built());
  EXPECT_EQ(p.module.model().text(facts.parts[0].node), "order");
}

TEST(ReachingDefs, ListsFollowAppends) {
  Parsed p("def f(name):\n    parts = [\"a = ?\"]\n    parts.append(\"b = ?\")\n    w = \" AND \".join(parts)\n"
           "    more = [\"a\"]\n    more.append(name)\n    v = \" AND \".join(more)\n");
  EXPECT_TRUE(p.facts("\" AND \".join(parts)").is_constant());
  EXPECT_TRUE(p.facts("\" AND \".join(more)").is_built());
}

TEST(ReachingDefs, GlobalDeclarationsReadTheModule) {
  Parsed p("Q = 'SELECT 1'\ndef f():\n    global Q\n    run(Q)\n");
  EXPECT_TRUE(p.facts("Q").is_constant());
}

TEST(Numbers, ConstantArithmeticAndNames) {
  Parsed p("ITER = 100_000\nMAX = 10 * 1024 * 1024\ndef f(n):\n    a = ITER\n    b = 2 ** 14\n    c = n * 2\n"
           "    d = 0x10\n    e = 60 * 24 // 2\n");
  const Model& m = p.module.model();
  auto num = [&](std::string_view text) {
    TSNode n = p.find_any(text);
    return m.number(n, p.scope_at(n));
  };
  EXPECT_EQ(num("ITER"), 100000.0);
  EXPECT_EQ(num("10 * 1024 * 1024"), 10485760.0);
  EXPECT_EQ(num("2 ** 14"), 16384.0);
  EXPECT_EQ(num("0x10"), 16.0);
  EXPECT_EQ(num("60 * 24 // 2"), 720.0);
  EXPECT_EQ(num("n * 2"), std::nullopt);
}

struct DictCase : Parsed {
  using Parsed::Parsed;
  DictFacts at(std::string_view call_text) const {
    TSNode call = find_any(call_text);
    TSNode arg = named_child(field(call, "arguments"), 0);
    return module.model().dict_facts(arg, scope_at(call));
  }
};

TEST(DictFacts, UpdatesCopiesAndItemAssignment) {
  DictCase p("def f(data, extra, c):\n"
             "    a = data.copy()\n    a.update({\"exp\": 1, \"type\": \"access\"})\n    use(a)\n"
             "    b = {**data, \"sub\": 1}\n    b[\"iat\"] = 2\n    use(b)\n"
             "    d = dict(sub=1)\n    if c:\n        d[\"exp\"] = 3\n    use(d)\n"
             "    e = {\"sub\": 1}\n    e.update(extra)\n    use(e)\n"
             "    use(data)\n");
  auto a = p.at("use(a)");
  EXPECT_TRUE(a.built);
  EXPECT_TRUE(a.keys.count("exp") && a.keys.count("type"));
  auto b = p.at("use(b)");
  EXPECT_TRUE(b.built && !b.open);
  EXPECT_TRUE(b.keys.count("sub") && b.keys.count("iat"));
  EXPECT_FALSE(b.may_have("exp"));
  auto d = p.at("use(d)");
  EXPECT_FALSE(d.keys.count("exp"));
  EXPECT_TRUE(d.maybe_keys.count("exp"));
  EXPECT_TRUE(p.at("use(e)").open);
  EXPECT_FALSE(p.at("use(data)").built);
}

TEST(DictFacts, HelpersAndEscapes) {
  DictCase p("def claims(u):\n    return {\"sub\": u, \"exp\": 1}\n"
             "def f(u):\n    c = claims(u)\n    use(c)\n"
             "    g = {\"sub\": u}\n    add_expiry(g)\n    use(g)\n");
  auto c = p.at("use(c)");
  EXPECT_TRUE(c.built && c.keys.count("exp"));
  EXPECT_TRUE(p.at("use(g)").open);
}

TEST(Uses, ReferencesButNotAttributeOrKeywordNames) {
  Parsed p("def f(salt):\n    k = kdf(salt=salt)\n    o.salt\n    return salt\n");
  TSNode fn = p.find("function_definition", p.module.model().text(named_child(p.module.root(), 0)));
  int scope = p.module.model().scope_of_node(fn, -1);
  const auto& uses = p.module.model().uses("salt", scope);
  ASSERT_EQ(uses.size(), 3u);  // the parameter, `salt=salt`'s value, `return salt`
  EXPECT_EQ(kind(uses[1].parent), "keyword_argument");
  EXPECT_EQ(kind(uses[2].parent), "return_statement");
}

TEST(Model, DeepNestingDoesNotOverflow) {
  std::string src = "x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\n";
  Parsed p(src);
  EXPECT_TRUE(p.module.ok());
}

}  // namespace
