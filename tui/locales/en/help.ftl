# The English help of every command is clap's own, written from the doc comments of
# tui/src/cli.rs and of the commands' argument structs: they are the one source of the
# English text (rustdoc shows the same comments), so this file holds no message. The words
# clap adds of its own (headings, defaults) are the `help-` messages at the end of cli.ftl.
# zh-CN/help.ftl translates each command and argument; its ids are the command's path and
# the argument's id (tui/src/cli_help.rs).
