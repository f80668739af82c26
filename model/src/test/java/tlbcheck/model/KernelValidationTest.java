package tlbcheck.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tlbcheck.model.kernel.Procedure;
import tlbcheck.model.kernel.S2Change;
import tlbcheck.model.kernel.S2Make;
import tlbcheck.model.kernel.S2Read;
import tlbcheck.model.kernel.Trigger;

/** Mistakes in a procedure are refused when it is built, naming the procedure and the op. */
class KernelValidationTest {

    @Test
    void aStage2ReadInAFaultHandlerIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Procedure.of("s2_fault",
                Trigger.VCPU_FAULT, S2Read.then(S2Change.RELAX, new S2Make(S2Change.RELAX, true))));
        assertTrue(e.getMessage().startsWith("procedure s2_fault: op 1 'read stage-2 entry' can never run there:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("VCPU_FAULT"), e.getMessage());
    }

    @Test
    void aProcedureThatOnlyTakesLocksIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Procedure.of("khugepaged",
                Trigger.ANY, tlbcheck.model.kernel.MmapLock.WRITE, tlbcheck.model.kernel.PtlLock.INSTANCE,
                tlbcheck.model.kernel.PtlUnlock.INSTANCE, tlbcheck.model.kernel.MmapUnlock.WRITE));
        assertTrue(e.getMessage().startsWith("procedure khugepaged can end without any effect"), e.getMessage());
        assertTrue(e.getMessage().contains("mmap_write_lock"), e.getMessage());
    }

    @Test
    void anOpenTriggerIsATriggerLikeAnyOther() {
        Trigger allPresent = Trigger.of("every page present and read-only", (s, page) -> {
            for (int p = 0; p < s.pages(); p++) {
                if (!(s.pte(p) instanceof Pte.Valid v) || v.perm() != Perm.RO) return false;
            }
            return true;
        });
        Model model = new Model(Variants.V5.withKernel("V5+collapse", "V5 with a collapse path",
                Variants.V5.kernel().plus(Procedure.of("collapse", allPresent, tlbcheck.model.kernel.MmapLock.WRITE,
                        tlbcheck.model.kernel.WriteProtectPte.INSTANCE, tlbcheck.model.kernel.MmapUnlock.WRITE))));
        assertTrue(model.enabled(model.initial()).exists(step -> step.toString().contains("collapse")));
    }
}
