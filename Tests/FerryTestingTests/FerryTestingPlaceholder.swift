// Tests for FerryTesting arrive with the module's types.
import Testing
