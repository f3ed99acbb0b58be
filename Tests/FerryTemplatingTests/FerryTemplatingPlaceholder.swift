// Tests for FerryTemplating arrive with the module's types.
import Testing
