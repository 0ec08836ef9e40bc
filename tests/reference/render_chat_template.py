#!/usr/bin/env python3
"""Renders a conversation with the chat_template of a tokenizer_config.json, as Hugging Face's tokenizers do (Jinja2
with trim_blocks and lstrip_blocks), so the C# chat formats can be checked against the template a model ships with.

Usage: render_chat_template.py TOKENIZER_CONFIG_JSON [--no-thinking]  < messages.json   (a JSON list of {role, content})
Prints the rendered text with the generation prompt appended, as JSON (a string) on one line.
"""
import json
import sys

import jinja2
import jinja2.ext


def main():
    config_path = sys.argv[1]
    thinking = "--no-thinking" not in sys.argv[2:]
    with open(config_path) as f:
        config = json.load(f)

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    environment = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    environment.globals["raise_exception"] = raise_exception
    template = environment.from_string(config["chat_template"])
    special = {k: (v.get("content") if isinstance(v, dict) else v) for k, v in config.items()
               if k.endswith("_token") and (v is None or isinstance(v, (str, dict)))}
    messages = json.load(sys.stdin)
    text = template.render(messages=messages, add_generation_prompt=True, enable_thinking=thinking, **special)
    print(json.dumps(text))


if __name__ == "__main__":
    main()
