// Tests for Ferry arrive with the module's types.
import Testing
