"""Templates are compiled once a process, not once per renderer (bots/output/rendering.py)."""

from jinja2 import DictLoader, Environment

from bots.output.rendering import CompiledOnce, Renderer


def _counting(monkeypatch) -> list[str]:
    compiled: list[str] = []
    original = Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", compile)
    return compiled


def test_a_second_renderer_reuses_the_code_the_first_compiled(monkeypatch):
    Renderer("console").render("errors/unexpected.j2", incident="abc123")  # warm, whatever ran
    compiled = _counting(monkeypatch)

    first = Renderer("console").render("errors/unexpected.j2", incident="abc123")
    second = Renderer("slack").render("errors/unexpected.j2", incident="abc123")

    assert compiled == []
    assert "abc123" in first and "abc123" in second


def test_a_changed_source_is_compiled_again_and_each_configuration_keeps_its_own(monkeypatch):
    compiled = _counting(monkeypatch)
    code, other = CompiledOnce(), CompiledOnce()
    sources = {"t.j2": "Hello {{ name }}"}

    def env(cache: CompiledOnce, **options) -> Environment:
        return Environment(loader=DictLoader(sources), bytecode_cache=cache, **options)

    assert env(code).get_template("t.j2").render(name="<b>") == "Hello <b>"
    assert env(code).get_template("t.j2").render(name="<b>") == "Hello <b>"
    assert len(compiled) == 1
    # Another configuration (here, autoescaping) never borrows this one's code.
    assert env(other, autoescape=True).get_template("t.j2").render(name="<b>") == "Hello &lt;b&gt;"
    sources["t.j2"] = "Goodbye {{ name }}"
    assert env(code).get_template("t.j2").render(name="x") == "Goodbye x"
    assert len(compiled) == 3
