"""Words the registry uses wherever a protocol is silent, so every page, PDF, feed and API agrees."""

NOT_STATED = "Not stated in the protocol"
