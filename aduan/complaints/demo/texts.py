"""What Buton's citizens write about, and what the agencies answer: the demo's topic catalogue.

Each topic names the LAPOR! category it belongs to (data/buton/kategori_lapor.csv), so the
lead agency follows from the category's routing, as R16 asks. Texts are Bahasa Indonesia with
placeholders filled per complaint: {desa}, {kec} (a desa/kelurahan and its kecamatan from the
Region table; {Desa} is "Desa" or "Kelurahan"), {n} (a small number: days, weeks, months), {m} (metres), {patokan} (a landmark),
{sekolah}, {hari} (a weekday).

A topic's `titles`, `bodies` and `short` texts are variants of one report, aligned by index
(title i goes with body i; short i is body i as typed in an SMS). An answer lists the variants
it fits (all when empty), so the response answers what the citizen wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Ground, Kind, Resolution

R = Resolution


@dataclass(frozen=True)
class Answer:
    """One way an agency answers: the cause (agencies.Cause code), the result, the text."""

    cause: str
    resolution: str
    text: str
    variants: tuple[int, ...] = ()  # the body variants this answer fits; () = all

    def fits(self, variant: int) -> bool:
        return not self.variants or variant in self.variants


@dataclass(frozen=True)
class Topic:
    key: str
    category: str
    titles: tuple[str, ...]
    bodies: tuple[str, ...]
    answers: tuple[Answer, ...]
    kind: str = Kind.COMPLAINT
    ground: str = ""
    short: tuple[str, ...] = ()  # as typed in an SMS or a WhatsApp chat
    follow_ups: tuple[str, ...] = ()
    question: str = ""
    supplement: str = ""
    # A return story (R5): first dispatched under this (wrong) category, returned, re-dispatched.
    wrong_category: str = ""
    return_reason: str = ""
    # Outside the regency's authority (R28): where it is handed on to, and whether that goes
    # through national LAPOR!-SP4N (R18).
    forward_to: str = ""
    forward_national: bool = False
    sensitive: bool = False  # pungli and the like: often anonymous and confidential
    weight: int = 2

    def __post_init__(self) -> None:
        if len(self.titles) != len(self.bodies) or len(self.short) > len(self.bodies):
            raise ValueError(f"topic {self.key}: titles, bodies and short texts must align")

    def answers_for(self, variant: int) -> tuple[Answer, ...]:
        return tuple(a for a in self.answers if a.fits(variant)) or self.answers


DEFAULT_QUESTION = (
    "Terima kasih atas laporan Anda. Mohon dilengkapi lokasi persisnya (nama desa/dusun dan "
    "patokan terdekat) serta sejak kapan masalah ini terjadi, agar laporan dapat kami teruskan "
    "ke perangkat daerah yang berwenang."
)
DEFAULT_SUPPLEMENT = (
    "Lokasinya di {Desa} {desa}, Kecamatan {kec}, dekat {patokan}. Masalahnya sudah terjadi "
    "sejak kurang lebih {n} minggu yang lalu."
)
DEFAULT_FOLLOW_UP = (
    "Terima kasih atas tanggapannya, tetapi sampai hari ini belum ada perubahan di lapangan. "
    "Mohon dicek kembali."
)
# The second response, after a follow-up, when the topic has no other answer that fits.
AFTER_FOLLOW_UP = (
    "Menindaklanjuti balasan Bapak/Ibu, laporan ini telah kami periksa kembali bersama petugas "
    "teknis pada hari {hari}, dan kekurangan yang disampaikan telah diselesaikan. Bila masih ada "
    "kendala, silakan balas laporan ini."
)

TOPICS: tuple[Topic, ...] = (
    Topic(
        key="jalan_rusak",
        category="K01.01",
        ground=Ground.NEGLECT,
        weight=6,
        titles=(
            "Jalan rusak parah di {Desa} {desa}",
            "Aspal jalan menuju {Desa} {desa} terkelupas",
            "Jalan {Desa} {desa} belum diperbaiki meski sudah diusulkan",
        ),
        bodies=(
            "Jalan kabupaten di {Desa} {desa}, Kecamatan {kec} rusak parah sepanjang kurang lebih "
            "{m} meter. Lubangnya besar-besar dan tergenang air kalau hujan, sudah ada pengendara "
            "motor yang jatuh minggu lalu. Jalan ini setiap hari dipakai anak sekolah dan warga "
            "yang membawa hasil kebun ke pasar. Mohon segera diperbaiki.",
            "Aspal jalan dari {patokan} sampai ujung {Desa} {desa} sudah terkelupas dan tinggal "
            "batu-batu lepas. Kendaraan roda empat harus jalan pelan sekali, ambulans puskesmas "
            "juga kesulitan lewat. Kerusakan ini sudah {n} bulan dibiarkan tanpa perbaikan.",
            "Kami warga {Desa} {desa} mengeluhkan jalan yang rusak sejak musim hujan tahun lalu. "
            "Sudah pernah diusulkan lewat musrenbang desa tapi belum ada kabar. Tolong dinas "
            "terkait turun melihat kondisi jalan di sekitar {patokan}.",
        ),
        short=(
            "Jln di desa {desa} rusak parah bnyk lubang, sdh ada yg jatuh dr motor. Mohon "
            "diperbaiki. Trims",
            "Pak tolong jalan ke {desa} kec {kec} sdh rusak berat, kalo hujan tdk bs dilewati",
        ),
        answers=(
            Answer(
                "anggaran",
                R.SCHEDULED,
                "Terima kasih atas laporannya. Tim Bidang Bina Marga telah meninjau ruas jalan "
                "di {Desa} {desa} pada hari {hari}. Kerusakan sepanjang {m} meter telah kami "
                "catat dan perbaikannya kami masukkan dalam rencana pemeliharaan berkala tahun "
                "anggaran berikutnya. Sementara itu lubang yang paling dalam akan ditimbun "
                "dengan material sirtu.",
            ),
            Answer(
                "sarana_rusak",
                R.RESOLVED,
                "Lubang-lubang di ruas jalan {Desa} {desa} telah ditambal oleh tim pemeliharaan "
                "rutin Dinas PUPR. Terima kasih atas laporannya; silakan laporkan kembali bila "
                "masih ada kerusakan.",
            ),
            Answer(
                "pihak_ketiga",
                R.PARTIAL,
                "Ruas jalan tersebut sedang dalam masa pemeliharaan kontraktor pelaksana. Kami "
                "telah menegur penyedia jasa dan perbaikan sebagian sudah dilakukan; sisanya "
                "dijadwalkan selesai dalam {n} minggu.",
            ),
        ),
        follow_ups=(
            "Sudah lebih dari seminggu sejak tanggapan, tetapi belum ada penimbunan di lokasi. "
            "Mohon ditindaklanjuti.",
            "Yang ditambal hanya sebagian dekat {patokan}, ujung jalan masih berlubang besar.",
        ),
    ),
    Topic(
        key="jalan_provinsi",
        category="K01.01",
        ground=Ground.NEGLECT,
        weight=1,
        titles=("Jalan poros provinsi di {kec} berlubang",),
        bodies=(
            "Jalan poros yang melewati Kecamatan {kec} (ruas provinsi) banyak berlubang dan "
            "bahu jalannya longsor di dekat {Desa} {desa}. Truk dan bus antarkota setiap hari "
            "lewat, sangat berbahaya di malam hari.",
        ),
        answers=(),
        forward_to="Pemerintah Provinsi Sulawesi Tenggara (ruas jalan provinsi)",
    ),
    Topic(
        key="drainase",
        category="K01.02",
        ground=Ground.BELOW_STANDARD,
        weight=3,
        titles=(
            "Drainase tersumbat di {Desa} {desa}",
            "Gorong-gorong ambruk di {Desa} {desa}",
        ),
        bodies=(
            "Saluran drainase di samping jalan {Desa} {desa} tertutup sedimen dan sampah, "
            "sehingga setiap hujan deras air meluap ke jalan dan masuk ke halaman rumah warga. "
            "Mohon saluran dinormalisasi sebelum musim hujan puncak.",
            "Gorong-gorong di dekat {patokan}, {Desa} {desa}, Kecamatan {kec} ambruk dan "
            "menyumbat aliran air. Jalan jadi tergenang dan mulai berlubang.",
        ),
        short=("Got di {desa} tersumbat, tiap hujan air masuk rumah warga. Mohon dibersihkan",),
        answers=(
            Answer(
                "sarana_rusak",
                R.RESOLVED,
                "Tim UPT Pemeliharaan telah membersihkan saluran drainase di {Desa} {desa} "
                "sepanjang {m} meter pada hari {hari}. Kami mengimbau warga tidak membuang "
                "sampah ke saluran.",
                (0,),
            ),
            Answer(
                "anggaran",
                R.SCHEDULED,
                "Gorong-gorong di {Desa} {desa} telah kami survei. Penggantian gorong-gorong "
                "memerlukan anggaran fisik dan diusulkan pada perubahan anggaran tahun ini.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="banjir",
        category="K08",
        ground=Ground.BELOW_STANDARD,
        weight=2,
        titles=("Banjir dan longsor di {Desa} {desa}", "Longsor menutup jalan di {Desa} {desa}"),
        bodies=(
            "Hujan deras sejak semalam menyebabkan banjir setinggi lutut di {Desa} {desa}, "
            "Kecamatan {kec}. Ada {n} rumah yang kemasukan air dan tebing di belakang "
            "{patokan} mulai longsor. Mohon bantuan dan pemeriksaan dari petugas.",
            "Tanah longsor menutup sebagian jalan di {Desa} {desa}. Warga sudah gotong royong "
            "membersihkan, tetapi tebingnya masih retak dan dikhawatirkan longsor lagi.",
        ),
        short=("Banjir di {desa} kec {kec}, air masuk rumah. Mohon bantuan BPBD",),
        answers=(
            Answer(
                "alam",
                R.RESOLVED,
                "Tim Reaksi Cepat BPBD telah turun ke {Desa} {desa}, mendata {n} rumah terdampak "
                "dan menyalurkan bantuan logistik (beras, air mineral, terpal). Material "
                "longsor di badan jalan sudah dibersihkan bersama warga dan TNI/Polri.",
            ),
            Answer(
                "alam",
                R.PARTIAL,
                "Kajian cepat BPBD menunjukkan tebing di {Desa} {desa} rawan longsor. Kami telah "
                "memasang rambu peringatan dan mengusulkan penanganan tebing ke Dinas PUPR.",
            ),
        ),
    ),
    Topic(
        key="jembatan",
        category="K02.04",
        ground=Ground.NEGLECT,
        weight=2,
        titles=(
            "Jembatan kayu di {Desa} {desa} hampir roboh",
            "Oprit jembatan di {Desa} {desa} amblas",
        ),
        bodies=(
            "Jembatan kayu yang menghubungkan dusun di {Desa} {desa}, Kecamatan {kec} sudah lapuk "
            "dan beberapa papannya patah. Anak sekolah setiap hari menyeberang di situ. Mohon "
            "segera diganti sebelum ada korban.",
            "Oprit jembatan di dekat {patokan} amblas setelah banjir, kendaraan roda empat tidak "
            "bisa lewat sudah {n} minggu.",
        ),
        wrong_category="K02",
        return_reason=(
            "Pembangunan dan pemeliharaan jembatan bukan tugas Dinas Perhubungan. Mohon "
            "didisposisikan ke Dinas PUPR (Bidang Bina Marga)."
        ),
        answers=(
            Answer(
                "anggaran",
                R.SCHEDULED,
                "Jembatan di {Desa} {desa} telah kami tinjau. Penggantian lantai jembatan "
                "dijadwalkan dalam kegiatan pemeliharaan triwulan berikutnya; untuk sementara "
                "papan yang patah diganti oleh tim pemeliharaan.",
                (0,),
            ),
            Answer(
                "sarana_rusak",
                R.RESOLVED,
                "Papan jembatan yang patah di {Desa} {desa} telah diganti dan oprit yang amblas "
                "ditimbun. Jembatan sudah bisa dilalui kembali.",
            ),
        ),
    ),
    Topic(
        key="lampu_jalan",
        category="K02.01",
        ground=Ground.BELOW_STANDARD,
        weight=3,
        titles=("Lampu jalan mati di {Desa} {desa}", "PJU padam sepanjang jalan {kec}"),
        bodies=(
            "Lampu penerangan jalan umum di sepanjang jalan {Desa} {desa} sudah mati sekitar "
            "{n} minggu. Malam hari sangat gelap dan rawan kecelakaan serta pencurian.",
            "Dari {patokan} sampai perbatasan desa ada {n} tiang PJU yang lampunya padam. "
            "Mohon diperbaiki karena banyak warga pulang dari kebun dan masjid malam hari.",
        ),
        short=("Lampu jln di {desa} mati smua sdh {n} mgg, gelap sekali mlm hari",),
        wrong_category="K01.01",
        return_reason=(
            "Penerangan jalan umum (PJU) dikelola Dinas Perhubungan, bukan Dinas PUPR. Mohon "
            "didisposisikan ulang ke Dinas Perhubungan."
        ),
        answers=(
            Answer(
                "sarana_rusak",
                R.RESOLVED,
                "Petugas PJU Dinas Perhubungan telah mengganti {n} lampu yang rusak di jalan "
                "{Desa} {desa}. Semua lampu sudah menyala kembali.",
            ),
            Answer(
                "anggaran",
                R.SCHEDULED,
                "Lampu yang padam di {Desa} {desa} memerlukan penggantian armatur. Pengadaan "
                "armatur LED baru dijadwalkan bulan depan.",
            ),
        ),
    ),
    Topic(
        key="lampu_jalan_usul",
        category="K02.01",
        kind=Kind.ASPIRATION,
        weight=1,
        titles=("Usulan pemasangan lampu jalan di {Desa} {desa}",),
        bodies=(
            "Kami mengusulkan pemasangan lampu penerangan jalan di ruas jalan baru {Desa} {desa} "
            "menuju {patokan}. Jalan ini ramai dilalui warga tetapi belum ada satu pun lampu.",
        ),
        answers=(
            Answer(
                "anggaran",
                R.SCHEDULED,
                "Terima kasih atas usulannya. Ruas jalan di {Desa} {desa} telah kami catat sebagai "
                "lokasi prioritas pemasangan PJU pada tahun anggaran berikutnya.",
            ),
        ),
    ),
    Topic(
        key="air_pdam",
        category="K26",
        ground=Ground.BELOW_STANDARD,
        weight=5,
        titles=(
            "Air Perumda Tirta Takawa tidak mengalir {n} hari di {Desa} {desa}",
            "Air PDAM keruh dan berbau di {Desa} {desa}",
            "Air hanya mengalir tengah malam, tagihan malah naik",
        ),
        bodies=(
            "Sudah {n} hari air dari Perumda Air Minum Tirta Takawa tidak mengalir ke rumah "
            "kami di {Desa} {desa}, Kecamatan {kec}. Kami tetap membayar tagihan setiap bulan "
            "tetapi harus membeli air tangki. Mohon penjelasan dan perbaikan.",
            "Air PDAM di sekitar {patokan} keluar keruh kecokelatan dan berbau, tidak bisa "
            "dipakai memasak. Sudah dilaporkan ke petugas loket tetapi belum ada tindakan.",
            "Aliran air di {Desa} {desa} hanya menyala tengah malam dan itu pun kecil sekali. "
            "Meteran tetap berjalan dan tagihan bulan ini naik. Mohon meteran kami dicek.",
        ),
        short=(
            "Air PDAM di {desa} mati sdh {n} hari, tolong diperbaiki. Kami bayar tiap bulan",
            "Air perumda keruh skali di {desa}, tdk bs dipake masak",
        ),
        answers=(
            Answer(
                "sarana_rusak",
                R.RESOLVED,
                "Gangguan disebabkan pipa transmisi bocor di dekat {patokan}. Pipa telah "
                "diperbaiki pada hari {hari} dan aliran air ke {Desa} {desa} sudah normal "
                "kembali. Mohon maaf atas ketidaknyamanannya.",
                (0, 1),
            ),
            Answer(
                "alam",
                R.PARTIAL,
                "Debit mata air di intake menurun karena musim kemarau sehingga distribusi ke "
                "{Desa} {desa} kami lakukan bergilir. Jadwal giliran telah diumumkan di kantor "
                "desa; selama gangguan kami kirimkan mobil tangki gratis.",
                (0, 2),
            ),
            Answer(
                "kelalaian_petugas",
                R.RESOLVED,
                "Meteran pelanggan telah diperiksa petugas: ada kesalahan pencatatan. Tagihan "
                "bulan ini dikoreksi dan kelebihan bayar diperhitungkan pada tagihan berikutnya.",
                (2,),
            ),
        ),
        follow_ups=("Airnya sempat mengalir dua hari, sekarang mati lagi. Mohon dicek ulang.",),
    ),
    Topic(
        key="air_sumur",
        category="K91",
        ground=Ground.NEGLECT,
        weight=2,
        titles=(
            "Sumur bor bantuan di {Desa} {desa} tidak berfungsi",
            "Bak penampungan air bersih di {Desa} {desa} bocor",
        ),
        bodies=(
            "Sumur bor bantuan pemerintah di {Desa} {desa}, Kecamatan {kec} sudah {n} bulan "
            "tidak berfungsi karena pompanya rusak. Warga terpaksa mengambil air ke desa "
            "sebelah. Mohon pompa diperbaiki.",
            "Bak penampungan air bersih di dekat {patokan} bocor dan pipanya putus. Di musim "
            "kemarau warga {Desa} {desa} sangat kesulitan air bersih.",
        ),
        wrong_category="K26",
        return_reason=(
            "Sumur bor dan bak penampungan di {Desa} {desa} bukan jaringan perpipaan Perumda AM "
            "Tirta Takawa. Sarana air bersih non-perpipaan menjadi urusan Dinas PUPR."
        ),
        answers=(
            Answer(
                "sarana_rusak",
                R.RESOLVED,
                "Pompa sumur bor di {Desa} {desa} telah diganti oleh tim Bidang Cipta Karya dan "
                "sudah berfungsi kembali. Pengelolaan selanjutnya kami serahkan kepada KPSPAMS "
                "desa.",
                (0,),
            ),
            Answer(
                "anggaran",
                R.SCHEDULED,
                "Perbaikan bak penampungan di {Desa} {desa} dimasukkan dalam kegiatan SPAM "
                "perdesaan tahun depan. Untuk sementara BPBD diminta mendistribusikan air bersih.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="sampah",
        category="K07.01",
        ground=Ground.NEGLECT,
        weight=3,
        titles=(
            "Sampah tidak diangkut di dekat {patokan}, {desa}",
            "Sampah plastik menumpuk di pantai {desa}",
        ),
        bodies=(
            "Tumpukan sampah di dekat {patokan}, {desa}, sudah {n} minggu tidak diangkut truk "
            "sampah. Baunya menyengat dan banyak lalat, apalagi dekat tempat jualan makanan.",
            "Ada warga yang membuang sampah ke pantai di {desa}. Sampah plastik menumpuk di "
            "pesisir dan terbawa ombak. Mohon disediakan tempat sampah dan ditertibkan.",
        ),
        short=("Sampah di {desa} dkt {patokan} tdk diangkut sdh {n} mgg, bau skali",),
        answers=(
            Answer(
                "sdm",
                R.RESOLVED,
                "Sampah di lokasi yang dilaporkan telah diangkut pada hari {hari}. Jadwal "
                "pengangkutan di {desa} kami tambah menjadi dua kali seminggu.",
                (0,),
            ),
            Answer(
                "informasi",
                R.PARTIAL,
                "DLH telah memasang kontainer sampah di dekat {patokan} dan bersama pemerintah "
                "desa menyosialisasikan larangan membuang sampah ke pantai.",
            ),
        ),
    ),
    Topic(
        key="puskesmas_obat",
        category="K03",
        ground=Ground.BELOW_STANDARD,
        weight=3,
        titles=(
            "Pasien BPJS disuruh beli obat sendiri di apotek",
            "Obat hipertensi dan gula kosong di Puskesmas {kec}",
        ),
        bodies=(
            "Saya berobat ke Puskesmas {kec} dengan BPJS, tetapi petugas bilang obatnya kosong "
            "dan saya disuruh membeli sendiri di apotek. Ini sudah kejadian kedua bulan ini. "
            "Mohon ketersediaan obat di puskesmas diperhatikan.",
            "Stok obat hipertensi dan gula di Puskesmas {kec} kosong sudah {n} minggu. Banyak "
            "lansia dari {Desa} {desa} yang harus ke Baubau untuk membeli obat.",
        ),
        answers=(
            Answer(
                "koordinasi",
                R.RESOLVED,
                "Kekosongan obat terjadi karena keterlambatan distribusi dari Instalasi Farmasi "
                "Kabupaten. Stok obat di Puskesmas {kec} sudah dipenuhi kembali sejak hari "
                "{hari}. Pasien BPJS tidak boleh diminta membeli obat sendiri; kepala puskesmas "
                "telah kami ingatkan.",
            ),
            Answer(
                "anggaran",
                R.PARTIAL,
                "Sebagian obat sudah tersedia kembali; obat hipertensi tertentu masih menunggu "
                "pengadaan melalui e-katalog dan diperkirakan tiba dalam {n} minggu.",
            ),
        ),
    ),
    Topic(
        key="puskesmas_layanan",
        category="K03",
        ground=Ground.BELOW_STANDARD,
        weight=3,
        titles=("Pelayanan lambat di Puskesmas {kec}", "Pustu di {Desa} {desa} sering tutup"),
        bodies=(
            "Pada hari {hari} saya antre di Puskesmas {kec} sejak jam 8 pagi, tetapi dokter "
            "dan petugas baru mulai melayani jam 10. Banyak pasien lansia dan ibu hamil yang "
            "menunggu lama. Mohon kedisiplinan petugas ditingkatkan.",
            "Pustu di {Desa} {desa} sering tutup pada jam kerja. Warga yang sakit harus ke "
            "puskesmas kecamatan yang jauh.",
        ),
        answers=(
            Answer(
                "kelalaian_petugas",
                R.RESOLVED,
                "Kepala Puskesmas {kec} telah memberikan teguran kepada petugas yang terlambat "
                "dan memberlakukan absensi elektronik. Jam pelayanan 08.00 WITA kini dipantau "
                "langsung oleh Dinas Kesehatan.",
                (0,),
            ),
            Answer(
                "sdm",
                R.PARTIAL,
                "Pustu di {Desa} {desa} hanya memiliki satu bidan. Kami telah menjadwalkan "
                "perawat tambahan dua hari seminggu sambil menunggu penempatan tenaga baru.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="stunting",
        category="K03.02",
        ground=Ground.NEGLECT,
        weight=1,
        titles=("Posyandu di {Desa} {desa} tidak aktif",),
        bodies=(
            "Posyandu di {Desa} {desa} sudah {n} bulan tidak ada kegiatan penimbangan dan "
            "pemberian makanan tambahan. Padahal di desa kami ada beberapa balita yang "
            "terlihat kurus.",
        ),
        answers=(
            Answer(
                "sdm",
                R.RESOLVED,
                "Puskesmas {kec} telah mengaktifkan kembali posyandu di {Desa} {desa} dan "
                "melakukan penimbangan serta pemberian makanan tambahan. Balita dengan gizi "
                "kurang didampingi oleh tenaga gizi puskesmas.",
            ),
        ),
    ),
    Topic(
        key="ktp_el",
        category="K06.01",
        ground=Ground.BELOW_STANDARD,
        weight=4,
        titles=(
            "KTP-el belum jadi sejak {n} bulan, katanya blangko habis",
            "KTP-el hasil perekaman keliling di {kec} belum dibagikan",
        ),
        bodies=(
            "Saya sudah melakukan perekaman KTP-el di Disdukcapil Kabupaten Buton {n} bulan "
            "lalu, tetapi setiap kali datang selalu dibilang blangko habis. Saya butuh KTP "
            "untuk mendaftar kerja dan membuka rekening.",
            "Anak saya sudah 17 tahun dan sudah rekam KTP-el waktu perekaman keliling di "
            "Kecamatan {kec}, tetapi sampai sekarang KTP-nya belum dibagikan.",
        ),
        short=("KTP el sy blm jadi sdh {n} bln, katanya blangko habis trs. Mohon dibantu",),
        answers=(
            Answer(
                "sarana_rusak",
                R.RESOLVED,
                "KTP-el atas nama pelapor sudah dicetak dan dapat diambil di loket Disdukcapil "
                "di Pasarwajo dengan membawa bukti perekaman. Keterlambatan disebabkan "
                "kekosongan blangko dari pusat yang kini sudah teratasi.",
                (0,),
            ),
            Answer(
                "informasi",
                R.INFORMATION_GIVEN,
                "KTP-el hasil perekaman keliling di Kecamatan {kec} telah dikirim ke kantor "
                "kecamatan dan dapat diambil di sana. Bila belum ada, silakan hubungi petugas "
                "Disdukcapil dengan menyebut NIK.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="kk_akta",
        category="K06.01",
        ground=Ground.BELOW_STANDARD,
        weight=2,
        titles=("Pengurusan KK dan akta kelahiran berbelit",),
        bodies=(
            "Saya mengurus perubahan Kartu Keluarga dan akta kelahiran anak di Disdukcapil. "
            "Sudah tiga kali bolak-balik dari {Desa} {desa} karena persyaratannya berubah-ubah. "
            "Mohon persyaratan diumumkan dengan jelas.",
        ),
        answers=(
            Answer(
                "prosedur",
                R.RESOLVED,
                "Dokumen KK dan akta kelahiran pelapor telah selesai dan dapat dicetak mandiri "
                "dari surel. Daftar persyaratan layanan kini kami tempel di loket dan kami "
                "umumkan di media sosial Disdukcapil.",
            ),
        ),
    ),
    Topic(
        key="ktp_keliling_info",
        category="K06.01",
        kind=Kind.INFORMATION_REQUEST,
        weight=1,
        titles=("Jadwal perekaman KTP-el keliling di {kec}",),
        bodies=(
            "Mohon informasi kapan ada jadwal perekaman KTP-el keliling ke Kecamatan {kec}. "
            "Banyak warga lansia di {Desa} {desa} yang sulit datang ke Pasarwajo.",
        ),
        answers=(
            Answer(
                "informasi",
                R.INFORMATION_GIVEN,
                "Perekaman KTP-el keliling ke Kecamatan {kec} dijadwalkan pada minggu ketiga "
                "bulan depan di kantor camat. Untuk warga lansia dan penyandang disabilitas "
                "dapat diajukan perekaman di rumah melalui pemerintah desa.",
            ),
        ),
    ),
    Topic(
        key="guru_honorer",
        category="K04",
        ground=Ground.NEGLECT,
        weight=2,
        titles=(
            "Honor guru honorer {sekolah} belum dibayar {n} bulan",
            "Insentif guru honorer di Kecamatan {kec} belum cair",
        ),
        bodies=(
            "Kami guru honorer di {sekolah} belum menerima honor selama {n} bulan. Kepala "
            "sekolah mengatakan dana BOS belum cair. Mohon kejelasan dari Dinas Pendidikan.",
            "Insentif guru honorer dari daerah untuk sekolah-sekolah di Kecamatan {kec} belum "
            "dibayarkan sejak awal semester.",
        ),
        answers=(
            Answer(
                "prosedur",
                R.RESOLVED,
                "Keterlambatan pembayaran honor karena laporan penggunaan dana BOS tahap "
                "sebelumnya belum diunggah sekolah. Laporan sudah dilengkapi dan honor telah "
                "dibayarkan pada hari {hari}.",
                (0,),
            ),
            Answer(
                "anggaran",
                R.SCHEDULED,
                "Insentif guru honorer daerah dibayarkan per triwulan dan saat ini dalam proses "
                "pencairan di BPKAD. Pembayaran dijadwalkan paling lambat akhir bulan ini.",
                (1,),
            ),
        ),
        sensitive=True,
    ),
    Topic(
        key="sekolah_rusak",
        category="K04",
        ground=Ground.NEGLECT,
        weight=2,
        titles=("Atap ruang kelas {sekolah} bocor", "Meja dan kursi murid {sekolah} rusak"),
        bodies=(
            "Atap dua ruang kelas di {sekolah} bocor dan plafonnya sudah jebol. Kalau hujan "
            "murid dipindahkan ke teras. Mohon segera direhabilitasi.",
            "Meja dan kursi murid di {sekolah}, {Desa} {desa}, banyak yang patah sehingga "
            "sebagian murid belajar sambil duduk di lantai.",
        ),
        answers=(
            Answer(
                "anggaran",
                R.SCHEDULED,
                "{sekolah} telah masuk daftar prioritas rehabilitasi ruang kelas melalui DAK "
                "fisik pendidikan tahun depan. Untuk sementara sekolah diizinkan memakai dana "
                "BOS untuk perbaikan ringan atap.",
                (0,),
            ),
            Answer(
                "sarana_rusak",
                R.RESOLVED,
                "Sebanyak {n}0 set meja kursi murid telah dikirim ke {sekolah} pada hari {hari}.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="sma_provinsi",
        category="K04",
        ground=Ground.BELOW_STANDARD,
        weight=1,
        titles=("Pungutan seragam di SMA negeri di {kec}",),
        bodies=(
            "Anak saya di SMA negeri di Kecamatan {kec} diminta membayar uang seragam dan "
            "uang komite yang cukup besar. Apakah ini diperbolehkan?",
        ),
        answers=(),
        forward_to="Dinas Pendidikan dan Kebudayaan Provinsi Sulawesi Tenggara (SMA/SMK)",
    ),
    Topic(
        key="kip_info",
        category="K04.02",
        kind=Kind.INFORMATION_REQUEST,
        weight=1,
        titles=("Cara mengurus Kartu Indonesia Pintar",),
        bodies=(
            "Anak saya sekolah di {sekolah} dan keluarga kami penerima PKH, tetapi belum "
            "mendapat KIP. Bagaimana caranya supaya anak saya terdaftar?",
        ),
        answers=(
            Answer(
                "informasi",
                R.INFORMATION_GIVEN,
                "Pengusulan KIP dilakukan oleh sekolah melalui Dapodik berdasarkan data DTKS. "
                "Silakan menghubungi operator {sekolah} dengan membawa kartu PKH dan KK; "
                "Dinas Pendidikan telah meneruskan nama anak Bapak/Ibu ke sekolah.",
            ),
        ),
    ),
    Topic(
        key="bansos",
        category="K16.01",
        ground=Ground.VIOLATION,
        weight=3,
        titles=(
            "Bantuan sosial tidak tepat sasaran di {Desa} {desa}",
            "Nama ibu saya dicoret dari daftar penerima bantuan sembako",
        ),
        bodies=(
            "Di {Desa} {desa} ada keluarga yang punya mobil dan toko tetapi menerima PKH dan "
            "BPNT, sedangkan janda lansia di dekat {patokan} tidak pernah mendapat bantuan. "
            "Mohon data penerima diverifikasi ulang.",
            "Nama ibu saya tercoret dari daftar penerima bantuan sembako padahal kondisinya "
            "tidak berubah. Kami tidak pernah didatangi petugas untuk pendataan.",
        ),
        wrong_category="K18",
        return_reason=(
            "Pengaduan menyangkut PKH/BPNT yang datanya dikelola Dinas Sosial melalui DTKS, "
            "bukan BLT Dana Desa. Mohon didisposisikan ke Dinas Sosial."
        ),
        answers=(
            Answer(
                "prosedur",
                R.PARTIAL,
                "Dinas Sosial bersama pendamping PKH telah melakukan verifikasi lapangan di Desa "
                "{desa}. Keluarga yang tidak layak diusulkan untuk dinonaktifkan pada "
                "pemutakhiran DTKS bulan ini, dan warga yang layak diusulkan sebagai penerima baru.",
                (0,),
            ),
            Answer(
                "informasi",
                R.INFORMATION_GIVEN,
                "Nama penerima dicoret pusat karena belum padan dengan data kependudukan. "
                "Silakan memperbarui data di Disdukcapil, lalu kami usulkan kembali melalui "
                "musyawarah desa.",
                (1,),
            ),
        ),
        sensitive=True,
    ),
    Topic(
        key="pungli",
        category="K90",
        ground=Ground.VIOLATION,
        weight=2,
        titles=(
            "Pungutan liar pengurusan SKTM di kantor {Desa} {desa}",
            "Oknum petugas minta uang pelicin bantuan bedah rumah",
            "Pungutan wajib perpisahan dan foto di {sekolah}",
        ),
        bodies=(
            "Untuk mengurus surat keterangan tidak mampu di kantor {Desa} {desa}, warga diminta "
            "membayar Rp50.000 tanpa kuitansi. Padahal layanan ini seharusnya gratis.",
            "Oknum petugas meminta uang Rp{m}.000 agar berkas bantuan bedah rumah kami "
            "diproses lebih cepat. Saya minta identitas saya dirahasiakan.",
            "Di {sekolah} orang tua murid diminta membayar uang perpisahan dan uang foto yang "
            "diwajibkan, siapa yang tidak bayar rapornya ditahan.",
        ),
        answers=(
            Answer(
                "kelalaian_petugas",
                R.RESOLVED,
                "Inspektorat telah melakukan klarifikasi kepada pihak terkait. Pungutan tanpa "
                "dasar hukum dihentikan, uang yang telah dipungut dikembalikan kepada warga, "
                "dan oknum yang bersangkutan diberi sanksi disiplin.",
            ),
            Answer(
                "tidak_terbukti",
                R.NOT_SUBSTANTIATED,
                "Inspektorat telah melakukan pemeriksaan dan tidak menemukan bukti pungutan "
                "sebagaimana dilaporkan. Bila Bapak/Ibu memiliki bukti tambahan, silakan "
                "sampaikan melalui laporan ini; identitas pelapor tetap kami rahasiakan.",
            ),
        ),
        sensitive=True,
    ),
    Topic(
        key="dana_desa",
        category="K18",
        ground=Ground.VIOLATION,
        weight=2,
        titles=("Penggunaan dana desa di {desa} tidak transparan",),
        bodies=(
            "Papan informasi APBDes di {Desa} {desa} tidak pernah dipasang dan pembangunan "
            "rabat beton yang dianggarkan tahun lalu tidak dikerjakan. Warga minta "
            "transparansi penggunaan dana desa.",
        ),
        answers=(
            Answer(
                "prosedur",
                R.PARTIAL,
                "DPMD bersama camat {kec} telah melakukan pembinaan kepada pemerintah Desa "
                "{desa}. Baliho APBDes sudah dipasang dan pekerjaan rabat beton dijadwalkan "
                "ulang; Inspektorat akan melakukan audit reguler.",
            ),
        ),
        sensitive=True,
    ),
    Topic(
        key="listrik_pln",
        category="K93",
        ground=Ground.BELOW_STANDARD,
        weight=2,
        titles=(
            "Listrik sering padam di {kec} tanpa pemberitahuan",
            "Tiang listrik miring di {Desa} {desa}",
        ),
        bodies=(
            "Listrik PLN di {Desa} {desa}, Kecamatan {kec} padam hampir setiap malam selama "
            "{n} jam tanpa pemberitahuan. Peralatan elektronik warga banyak yang rusak.",
            "Tiang listrik di dekat {patokan} miring dan kabelnya menjuntai rendah. Sangat "
            "berbahaya untuk anak-anak.",
        ),
        forward_to="PT PLN (Persero) UP3 Baubau",
        answers=(
            Answer(
                "kewenangan_lain",
                R.INFORMATION_GIVEN,
                "Bagian Perekonomian dan SDA telah menyampaikan keluhan ini kepada PT PLN "
                "(Persero) UP3 Baubau. PLN menjelaskan pemadaman terjadi karena pemeliharaan "
                "jaringan dan berjanji mengumumkan jadwal pemadaman lebih awal.",
                (0,),
            ),
            Answer(
                "kewenangan_lain",
                R.RESOLVED,
                "Laporan telah diteruskan kepada PT PLN (Persero) UP3 Baubau. Petugas PLN telah "
                "menegakkan tiang dan merapikan kabel di {Desa} {desa} pada hari {hari}.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="sinyal",
        category="K27",
        ground=Ground.BELOW_STANDARD,
        weight=2,
        titles=("{Desa} {desa} masih blank spot", "Tower BTS di {kec} mati, sinyal hilang"),
        bodies=(
            "{Desa} {desa} masih blank spot, tidak ada sinyal telepon apalagi internet. Anak "
            "sekolah harus naik ke bukit dekat {patokan} untuk mengirim tugas.",
            "Tower BTS di Kecamatan {kec} sudah {n} minggu mati sehingga sinyal hilang total. "
            "Pelayanan desa dan transaksi bank warga terganggu.",
        ),
        forward_to="Kementerian Komunikasi dan Digital (BAKTI) melalui SP4N-LAPOR! nasional",
        forward_national=True,
        answers=(
            Answer(
                "kewenangan_lain",
                R.SCHEDULED,
                "Diskominfo telah mengusulkan {Desa} {desa} sebagai lokasi BTS BAKTI dan "
                "menyampaikan gangguan tower kepada operator seluler. Kami akan memantau "
                "tindak lanjutnya.",
            ),
        ),
    ),
    Topic(
        key="pasar",
        category="K01.03",
        ground=Ground.BELOW_STANDARD,
        weight=2,
        titles=(
            "Los ikan pasar {kec} becek dan atapnya bocor",
            "Retribusi pasar {kec} ditarik tanpa karcis resmi",
        ),
        bodies=(
            "Los ikan di pasar Kecamatan {kec} becek, saluran airnya mampet dan atapnya "
            "bocor. Pedagang sudah membayar retribusi setiap hari tetapi kondisi pasar tidak "
            "diperbaiki.",
            "Penarikan retribusi di pasar {kec} tidak memakai karcis resmi dan besarnya "
            "berbeda-beda antara pedagang.",
        ),
        wrong_category="K01",
        return_reason=(
            "Pengelolaan pasar dan retribusinya adalah urusan Dinas Perdagangan. Mohon "
            "didisposisikan ulang; Dinas PUPR siap membantu bila diperlukan perbaikan fisik."
        ),
        answers=(
            Answer(
                "sarana_rusak",
                R.PARTIAL,
                "Dinas Perdagangan telah membersihkan saluran di los ikan pasar {kec}. "
                "Perbaikan atap diusulkan dalam kegiatan revitalisasi pasar.",
                (0,),
            ),
            Answer(
                "kelalaian_petugas",
                R.RESOLVED,
                "Penarikan retribusi kini wajib memakai karcis berporporasi sesuai Perda. "
                "Petugas pemungut telah diberi pembinaan.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="kapal",
        category="K02.03",
        ground=Ground.BELOW_STANDARD,
        weight=2,
        titles=(
            "Dermaga rakyat di {Desa} {desa} rusak",
            "Jadwal kapal penyeberangan di {kec} tidak pasti",
        ),
        bodies=(
            "Dermaga kayu tempat perahu motor dan jolloro bersandar di {Desa} {desa} sudah "
            "rusak, beberapa tiangnya patah. Penumpang dan barang susah naik turun.",
            "Kapal penyeberangan dari pelabuhan di Kecamatan {kec} sering berangkat tidak "
            "sesuai jadwal tanpa pemberitahuan, penumpang menunggu berjam-jam.",
        ),
        answers=(
            Answer(
                "sarana_rusak",
                R.SCHEDULED,
                "Dermaga rakyat di {Desa} {desa} telah disurvei oleh Bidang Perhubungan Laut. "
                "Rehabilitasi dermaga diusulkan dalam APBD perubahan.",
                (0,),
            ),
            Answer(
                "koordinasi",
                R.INFORMATION_GIVEN,
                "Dinas Perhubungan telah berkoordinasi dengan operator kapal; jadwal "
                "keberangkatan kini diumumkan di loket dan media sosial Dishub.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="ternak_lepas",
        category="K09.01",
        ground=Ground.VIOLATION,
        weight=1,
        titles=("Ternak berkeliaran di jalan raya {kec}",),
        bodies=(
            "Sapi dan kambing dibiarkan berkeliaran di jalan raya Kecamatan {kec}, terutama "
            "di dekat {patokan}. Sudah beberapa kali pengendara motor menabrak ternak di malam "
            "hari.",
        ),
        answers=(
            Answer(
                "informasi",
                R.RESOLVED,
                "Satpol PP bersama pemerintah kecamatan telah melakukan penertiban dan "
                "sosialisasi Perda tentang ternak. Pemilik ternak yang melanggar diberi "
                "teguran tertulis.",
            ),
        ),
    ),
    Topic(
        key="pupuk",
        category="K21.01",
        ground=Ground.BELOW_STANDARD,
        weight=2,
        titles=(
            "Pupuk bersubsidi langka di {kec}",
            "Bantuan bibit jagung belum sampai ke kelompok tani {desa}",
        ),
        bodies=(
            "Petani di {Desa} {desa} kesulitan mendapatkan pupuk bersubsidi. Kios resmi selalu "
            "bilang stok habis, tetapi pupuk dijual di luar dengan harga jauh lebih mahal.",
            "Kelompok tani kami di {Desa} {desa} sudah terdaftar sebagai penerima bantuan bibit "
            "jagung, tetapi sampai musim tanam bibitnya belum datang.",
        ),
        answers=(
            Answer(
                "koordinasi",
                R.RESOLVED,
                "Dinas Pertanian telah memeriksa kios pupuk lengkap di Kecamatan {kec} dan "
                "memastikan penyaluran sesuai e-RDKK. Stok untuk {Desa} {desa} sudah tersedia.",
                (0,),
            ),
            Answer(
                "pihak_ketiga",
                R.SCHEDULED,
                "Bibit jagung terlambat dari penyedia. Penyaluran ke kelompok tani di Desa "
                "{desa} dijadwalkan pada minggu depan.",
                (1,),
            ),
        ),
    ),
    Topic(
        key="nelayan",
        category="K07.02",
        ground=Ground.BELOW_STANDARD,
        weight=1,
        titles=("Bantuan mesin perahu untuk nelayan {desa} tidak merata",),
        bodies=(
            "Bantuan mesin katinting untuk nelayan di {Desa} {desa} hanya diberikan kepada "
            "kerabat pengurus kelompok. Nelayan lain yang sudah lama terdaftar tidak dapat.",
        ),
        answers=(
            Answer(
                "prosedur",
                R.PARTIAL,
                "Dinas Perikanan telah memverifikasi daftar penerima di {Desa} {desa}. Nelayan "
                "yang memenuhi syarat dan belum menerima diprioritaskan pada penyaluran tahap "
                "berikutnya.",
            ),
        ),
    ),
    Topic(
        key="rtlh",
        category="K31",
        ground=Ground.NEGLECT,
        weight=1,
        titles=("Bantuan bedah rumah di {desa} terbengkalai",),
        bodies=(
            "Program bantuan rumah tidak layak huni di {Desa} {desa} sudah {n} bulan berhenti. "
            "Rumah warga sudah dibongkar tetapi bahan bangunan tidak datang lagi, keluarga "
            "terpaksa menumpang di rumah tetangga.",
        ),
        answers=(
            Answer(
                "pihak_ketiga",
                R.RESOLVED,
                "Penyedia bahan bangunan telah ditegur dan sisa material untuk {Desa} {desa} "
                "sudah dikirim. Pembangunan dilanjutkan dengan pendampingan fasilitator.",
            ),
        ),
    ),
    Topic(
        key="perizinan",
        category="K22.02",
        ground=Ground.BELOW_STANDARD,
        weight=1,
        titles=("Pengurusan izin usaha lama di DPMPTSP",),
        bodies=(
            "Saya mengajukan perizinan usaha kios sembako melalui OSS dan verifikasi di "
            "DPMPTSP sudah {n} minggu belum selesai, tanpa penjelasan kekurangan berkas.",
        ),
        answers=(
            Answer(
                "prosedur",
                R.RESOLVED,
                "Verifikasi izin usaha pelapor telah selesai dan NIB dapat diunduh di OSS. "
                "Kami mohon maaf atas keterlambatan karena gangguan sistem.",
            ),
        ),
    ),
    Topic(
        key="pppk_info",
        category="K14",
        kind=Kind.INFORMATION_REQUEST,
        weight=1,
        titles=("Informasi seleksi PPPK di Kabupaten Buton",),
        bodies=(
            "Mohon informasi apakah tenaga honorer yang sudah bekerja lebih dari {n} tahun di "
            "kantor kecamatan {kec} bisa ikut seleksi PPPK tahun ini, dan apa saja syaratnya.",
        ),
        answers=(
            Answer(
                "informasi",
                R.INFORMATION_GIVEN,
                "Tenaga non-ASN yang terdata dalam pangkalan data BKN dapat mengikuti seleksi "
                "PPPK. Jadwal dan persyaratan diumumkan di laman BKPSDM dan SSCASN; silakan "
                "memeriksa status pendataan Anda di kantor BKPSDM.",
            ),
        ),
    ),
    Topic(
        key="olahraga_usul",
        category="K32",
        kind=Kind.ASPIRATION,
        weight=1,
        titles=("Usulan perbaikan lapangan sepak bola {Desa} {desa}",),
        bodies=(
            "Pemuda {Desa} {desa} mengusulkan perbaikan lapangan sepak bola desa yang sudah "
            "rusak dan tergenang, agar bisa dipakai untuk turnamen antarkampung.",
        ),
        answers=(
            Answer(
                "anggaran",
                R.SCHEDULED,
                "Terima kasih atas usulannya. Dispora telah mencatat lapangan di {Desa} {desa} "
                "untuk diusulkan melalui musrenbang kecamatan.",
            ),
        ),
    ),
    Topic(
        key="umkm_usul",
        category="K19",
        kind=Kind.ASPIRATION,
        weight=1,
        titles=("Usul pelatihan pengemasan produk UMKM",),
        bodies=(
            "Kami kelompok ibu-ibu pembuat kasuami dan kacang mete di {Desa} {desa} mengusulkan "
            "pelatihan pengemasan dan izin PIRT agar produk bisa dijual di toko oleh-oleh.",
        ),
        answers=(
            Answer(
                "informasi",
                R.SCHEDULED,
                "Usulan telah kami catat. Pelatihan pengemasan dan pendampingan PIRT untuk "
                "kelompok UMKM di Kecamatan {kec} dijadwalkan bersama Dinas Kesehatan.",
            ),
        ),
    ),
    Topic(
        key="polisi",
        category="K09.03",
        ground=Ground.VIOLATION,
        weight=1,
        titles=("Pencurian ternak di {Desa} {desa}",),
        bodies=(
            "Dalam sebulan terakhir sudah {n} ekor sapi warga {Desa} {desa} hilang dicuri. "
            "Warga minta patroli malam ditingkatkan.",
        ),
        answers=(),
        forward_to="Kepolisian Resor (Polres) Buton",
    ),
)

# Reports that are archived without being dispatched (R27).
UNCLEAR = (
    "tolong pak",
    "kenapa begini terus?? sudah lama",
    "Pak saya mau lapor tapi bingung",
    "cek",
)
SPAM = (
    "PROMO pulsa dan paket data murah, hubungi 0852xxxx sekarang juga!",
    "Selamat! Nomor Anda memenangkan hadiah undian. Klik tautan untuk klaim.",
)
SARA = (
    "(Isi laporan memuat ujaran kebencian terhadap suku dan agama tertentu; disamarkan "
    "dalam data demo.)",
)
INCOMPLETE = (
    "Ada pungli di kantor itu, tolong ditindak.",
    "Jalan rusak, mohon diperbaiki.",
    "Pelayanan jelek sekali.",
)

ARCHIVE_NOTES = {
    "unclear": "Isi laporan tidak jelas dan pelapor tidak dapat dihubungi.",
    "incomplete": "Laporan tidak memuat lokasi dan kejadian yang dapat diverifikasi.",
    "spam": "Pesan promosi, bukan pengaduan.",
    "sara": "Laporan mengandung unsur SARA (Pasal 11 ayat (2) huruf e).",
    "duplicate": "Pelapor mengirim laporan yang sama lewat kanal lain.",
}

CONFIRM_COMMENTS = {
    5: (
        "Terima kasih, sudah diperbaiki dengan cepat.",
        "Pelayanannya sangat baik, semoga dipertahankan.",
        "Mantap, petugas langsung turun ke lokasi.",
    ),
    4: ("Sudah ditangani, terima kasih.", "Cukup cepat, terima kasih kepada dinas terkait."),
    3: ("Sudah ada tindakan tapi belum tuntas.", "Lumayan, walaupun agak lama."),
    2: ("Prosesnya lama sekali.", "Tanggapannya hanya janji, belum ada hasil."),
    1: ("Tidak ada perubahan di lapangan.", "Kecewa, laporan hanya dijawab seadanya."),
}

RESTORE_REASON = (
    "Pelapor datang langsung ke kantor Diskominfo dan melengkapi keterangan lokasi; laporan "
    "dibuka kembali untuk diverifikasi."
)

LANDMARKS = (
    "masjid",
    "balai desa",
    "SD negeri",
    "pasar desa",
    "dermaga",
    "lapangan bola",
    "kantor camat",
    "pustu",
    "pertigaan jalan poros",
    "pos kamling",
)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat")
