"""The apps depend one way: accounts -> accountability -> protocols -> boards -> core, and none on the project.

(accounts, people's sign-in and roles, sits on top: it uses the register's roles and the editor's form
templates, and nothing uses it.)

A lower app never reaches a higher one, whether by importing it (directly, or through a module that
imports it, even inside a function) or by naming its data in strings (a model label, a reverse relation
in a lookup or prefetch, a URL name, a template). So each can be read, tested and replaced without
the ones built on it. `config` (settings, URLs, the API router) wires the apps together and may use any.
"""

import ast
import re
from collections import deque
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
# Each app may import the ones listed before it, and nothing after it.
LAYERS = ["core", "boards", "protocols", "accountability", "accounts"]
PROJECT = "config"
FIRST_PARTY = {*LAYERS, PROJECT}
# Apps that must not even name a higher app's data. protocols reaches accountability's records through
# reverse relations and template tags on purpose (STYLE.md), so only boards is held to this.
NAMES_NOTHING_ABOVE = ["core", "boards"]


def allowed(app):
    return set(LAYERS[: LAYERS.index(app) + 1])


def higher(app):
    return set(LAYERS[LAYERS.index(app) + 1 :]) | {PROJECT}


# Imports -----------------------------------------------------------------------------------------------------


def module_name(path, root):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path, module):
    """Every module a file imports, anywhere in it (inside functions too), relative imports resolved.

    `from a import b` yields both `a` and `a.b`, since b may be a submodule; names that are not
    modules are dropped when the graph is built.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module
            names.add(source)
            names.update(f"{source}.{alias.name}" for alias in node.names)
    return names


def import_graph(root, packages):
    """{module: modules of `packages` it imports}; importing a.b.c also runs a and a.b."""
    paths = {module_name(p, root): p for package in packages for p in (root / package).rglob("*.py")}
    graph = {}
    for module, path in paths.items():
        targets = set()
        for name in imported_names(path, module):
            parts = name.split(".")
            targets.update(".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in paths)
        parent = module.rpartition(".")[0]
        if parent in paths:
            targets.add(parent)
        graph[module] = targets - {module}
    return graph


def forbidden_chains(graph, app, forbidden):
    """For each module of `app`, the shortest import chain that reaches a module of a forbidden package."""
    chains = {}
    for start in sorted(m for m in graph if m.split(".")[0] == app):
        came_from = {start: None}
        queue = deque([start])
        while queue:
            module = queue.popleft()
            if module.split(".")[0] in forbidden:
                chain = [module]
                while came_from[chain[-1]] is not None:
                    chain.append(came_from[chain[-1]])
                chains[start] = " -> ".join(reversed(chain))
                break
            for target in sorted(graph.get(module, ())):
                if target not in came_from:
                    came_from[target] = module
                    queue.append(target)
    return chains


@pytest.fixture(scope="module")
def project_graph():
    return import_graph(ROOT, sorted(FIRST_PARTY))


@pytest.mark.parametrize("app", LAYERS)
def test_app_reaches_no_higher_app_even_indirectly(project_graph, app):
    assert forbidden_chains(project_graph, app, FIRST_PARTY - allowed(app)) == {}


def test_the_check_follows_imports_through_other_modules_and_functions(tmp_path):
    """boards -> core -> protocols is caught at boards, though boards never names protocols."""
    files = {
        "boards/__init__.py": "",
        "boards/views.py": "from core import helpers\n",
        "core/__init__.py": "",
        "core/helpers.py": "def load():\n    from protocols.models import Protocol\n",
        "protocols/__init__.py": "",
        "protocols/models.py": "class Protocol:\n    pass\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = import_graph(tmp_path, ["boards", "core", "protocols"])
    assert forbidden_chains(graph, "boards", {"protocols"}) == {
        "boards.views": "boards.views -> core.helpers -> protocols"
    }


# Names in strings --------------------------------------------------------------------------------------------


def reverse_names(app):
    """Names by which a higher app's models are reached from `app`'s models: accessors and query names."""
    names = set()
    for model in apps.get_app_config(app).get_models():
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete and field.related_model._meta.app_label in higher(app):
                names.update({field.get_accessor_name(), field.name})
    return names - {None}


def model_labels(app):
    return {
        model._meta.label_lower
        for other in higher(app) - {PROJECT}
        for model in apps.get_app_config(other).get_models()
    }


LOOKUP = re.compile(r"[a-z_][a-z0-9_]*(?:__[a-z0-9_]+)*")


def strings_naming(tree, *, relations, labels, apps_above):
    """Strings (and keyword names) in a module that name a higher app's data, each with why."""
    found = []

    def check_lookup(text, line):
        if LOOKUP.fullmatch(text):
            hits = sorted(set(text.split("__")) & relations)
            if hits:
                found.append((line, f"{text!r} goes through {', '.join(hits)}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            check_lookup(text, node.lineno)
            if text.lower() in labels:
                found.append((node.lineno, f"model {text!r}"))
            prefix = re.split(r"[:/.]", text, maxsplit=1)[0]
            if prefix in apps_above and re.match(r"[a-z_]+[:/]", text):
                found.append((node.lineno, f"{text!r} names {prefix}"))
        elif isinstance(node, ast.keyword) and node.arg:
            check_lookup(node.arg, node.value.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in relations:
            found.append((node.lineno, f"attribute .{node.attr}"))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "get_model" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and str(first.value).split(".")[0] in apps_above:
                found.append((node.lineno, f"get_model({first.value!r})"))
    return [f"line {line}: {why}" for line, why in sorted(found)]


TEMPLATE_TAG = re.compile(r"{%\s*(load|url|include|extends)\s+([^%]*)%}")
TEMPLATE_VARIABLE = re.compile(r"[A-Za-z_]\w*(?:\.\w+)+")


def template_naming(text, *, relations, apps_above, libraries):
    """What a template names of a higher app: its tag libraries, URL names, templates or reverse relations."""
    found = []
    for tag, argument in TEMPLATE_TAG.findall(text):
        words = argument.split()
        if tag == "load" and set(words) & libraries:
            found.append(f"loads {', '.join(sorted(set(words) & libraries))}")
        if tag != "load" and words:
            target = words[0].strip("'\"")
            if re.split(r"[:/]", target)[0] in apps_above and re.match(r"[a-z_]+[:/]", target):
                found.append(f"{tag} {target}")
    for variable in TEMPLATE_VARIABLE.findall(text):
        hits = set(variable.split(".")[1:]) & relations
        if hits:
            found.append(f"{variable} goes through {', '.join(sorted(hits))}")
    return found


def tag_libraries(app_names):
    return {
        path.stem for app in app_names for path in (ROOT / app / "templatetags").glob("*.py") if path.stem != "__init__"
    }


@pytest.mark.parametrize("app", NAMES_NOTHING_ABOVE)
def test_app_names_no_data_of_a_higher_app(app):
    above = higher(app)
    relations = reverse_names(app) if app != "core" else set()
    offenders = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        found = strings_naming(tree, relations=relations, labels=model_labels(app), apps_above=above)
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    for path in sorted((ROOT / "templates" / app).rglob("*.html")):
        found = template_naming(path.read_text(), relations=relations, apps_above=above, libraries=tag_libraries(above))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_boards_has_reverse_relations_to_check():
    """The check above compares against real names; were this empty, it would pass whatever boards wrote."""
    assert {"duties", "obligations_sent", "protocol_parties", "escalation_steps"} <= reverse_names("boards")


def test_the_check_sees_relation_strings_model_labels_and_url_names():
    source = (
        "Board.objects.prefetch_related('duties__legal_references')\n"
        "Board.objects.filter(obligations_sent__isnull=True)\n"
        "apps.get_model('protocols', 'Protocol')\n"
        "ForeignKey('accountability.Duty')\n"
        "reverse('accountability:board_calendar')\n"
        "board.escalation_steps.all()\n"
        "Board.objects.filter(name__icontains='duties of the board')\n"
    )
    found = strings_naming(
        ast.parse(source),
        relations={"duties", "obligations_sent", "escalation_steps"},
        labels={"accountability.duty"},
        apps_above={"protocols", "accountability"},
    )
    assert [line.split(":")[0] for line in found] == [
        "line 1",
        "line 2",
        "line 3",
        "line 4",
        "line 5",
        "line 6",
    ], found


def test_the_check_sees_a_template_walking_into_a_higher_app():
    template = (
        "{% load accountability_tags %}\n"
        "{% for duty in board.duties.all %}{{ duty }}{% endfor %}\n"
        "<a href=\"{% url 'accountability:area_map' area.slug %}\">map</a>\n"
        "{% include 'accountability/includes/source.html' %}\n"
        "{{ board.name }} {% url 'boards:area_boards' area.slug %}\n"
    )
    found = template_naming(
        template,
        relations={"duties"},
        apps_above={"accountability"},
        libraries={"accountability_tags"},
    )
    assert found == [
        "loads accountability_tags",
        "url accountability:area_map",
        "include accountability/includes/source.html",
        "board.duties.all goes through duties",
    ]
