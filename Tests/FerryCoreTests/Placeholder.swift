// Tests for FerryCore.
import Testing
