"""Legislation and guidance that several demo protocols cite. Each demo module calls load_common(b)."""

from types import SimpleNamespace

from accountability.models import LegalInstrument

LEG = "https://www.legislation.gov.uk"
Kind = LegalInstrument.Kind


def load_common(b):
    """Create (or find) the shared instruments and provisions; returns them as attributes."""
    ca1989 = b.instrument("Children Act 1989", Kind.ACT, 1989, f"{LEG}/ukpga/1989/41/contents")
    ca2004 = b.instrument("Children Act 2004", Kind.ACT, 2004, f"{LEG}/ukpga/2004/31/contents")
    hsca2012 = b.instrument("Health and Social Care Act 2012", Kind.ACT, 2012, f"{LEG}/ukpga/2012/7/contents")
    lscb_regs = b.instrument(
        "Local Safeguarding Children Boards Regulations 2006", Kind.REGULATIONS, 2006, f"{LEG}/uksi/2006/90/contents"
    )
    wt = {
        year: b.instrument(
            f"Working Together to Safeguard Children {year}",
            Kind.STATUTORY_GUIDANCE,
            year,
            short_title=f"Working Together {year}",
        )
        for year in (2006, 2010, 2013, 2015)
    }
    munro = b.instrument(
        "The Munro Review of Child Protection: Final Report", Kind.REVIEW, 2011, short_title="Munro Review"
    )
    dcs_guidance = b.instrument(
        "Statutory guidance on the roles and responsibilities of the Director of Children's Services and the "
        "Lead Member for Children's Services",
        Kind.STATUTORY_GUIDANCE,
        2013,
        short_title="DCS and Lead Member guidance",
    )

    def section(instrument, number, base):
        return b.reference(instrument, f"section {number}", f"{base}/section/{number}")

    return SimpleNamespace(
        ca1989=ca1989,
        ca2004=ca2004,
        hsca2012=hsca2012,
        lscb_regs=lscb_regs,
        wt2006=wt[2006],
        wt2010=wt[2010],
        wt2013=wt[2013],
        wt2015=wt[2015],
        munro=munro,
        dcs_guidance=dcs_guidance,
        ca1989_whole=b.reference(ca1989, "", f"{LEG}/ukpga/1989/41/contents"),
        ca2004_whole=b.reference(ca2004, "", f"{LEG}/ukpga/2004/31/contents"),
        ca2004_s11=section(ca2004, 11, f"{LEG}/ukpga/2004/31"),
        ca2004_s13=section(ca2004, 13, f"{LEG}/ukpga/2004/31"),
        ca2004_s14=section(ca2004, 14, f"{LEG}/ukpga/2004/31"),
        ca2004_s18=section(ca2004, 18, f"{LEG}/ukpga/2004/31"),
        hsca2012_s194=section(hsca2012, 194, f"{LEG}/ukpga/2012/7"),
        hsca2012_s195=section(hsca2012, 195, f"{LEG}/ukpga/2012/7"),
        hsca2012_s196=section(hsca2012, 196, f"{LEG}/ukpga/2012/7"),
        hsca2012_s199=section(hsca2012, 199, f"{LEG}/ukpga/2012/7"),
        hsca2012_whole=b.reference(hsca2012, "", f"{LEG}/ukpga/2012/7/contents"),
        lscb_regs_whole=b.reference(lscb_regs, "", f"{LEG}/uksi/2006/90/contents"),
        wt2010_whole=b.reference(wt[2010], ""),
        wt2013_whole=b.reference(wt[2013], ""),
        wt2015_whole=b.reference(wt[2015], ""),
        munro_rec5=b.reference(munro, "recommendation 5"),
        munro_rec6=b.reference(munro, "recommendation 6"),
        dcs_guidance_whole=b.reference(dcs_guidance, ""),
    )
